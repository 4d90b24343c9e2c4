import IntercomKit
import IntercomShell
import Testing

/// The adaptive concurrency's decisions, and imports simulated against a fixed-window server on a simulated clock:
/// no sleeps, no sockets.
@Suite("Adaptive concurrency")
struct AdaptiveConcurrencyTests {
    static let zero = ContinuousClock.now

    static func at(_ seconds: Double) -> ContinuousClock.Instant { zero + .seconds(seconds) }

    @Test("with rate-limit headers, the limit sustains 1.5 times the allowed rate at the latency seen")
    func followsTheRate() {
        var controller = AdaptiveConcurrency(initial: 8, maximum: 128)
        let headers = RateLimit(limit: 1667, remaining: 1000, reset: 1_000_010)
        for step in 0..<50 {
            controller.record(.answered(latency: .milliseconds(100), rateLimit: headers), inFlight: 8, now: Self.at(Double(step) * 0.01), unixNow: 1_000_000)
        }
        // 166.7/s × 0.1 s × 1.5 + 2
        #expect(controller.limit == 28)
        #expect(controller.allowedRate == 166.7)
        for step in 0..<50 {
            controller.record(.answered(latency: .milliseconds(300), rateLimit: headers), inFlight: 28, now: Self.at(1 + Double(step) * 0.01), unixNow: 1_000_001)
        }
        #expect((76...78).contains(controller.limit), "300 ms needs three times as many: \(controller.limit)")
        var capped = AdaptiveConcurrency(initial: 8, maximum: 40)
        capped.record(.answered(latency: .seconds(1), rateLimit: headers), inFlight: 8, now: Self.zero, unixNow: 1_000_000)
        #expect(capped.limit == 40)
    }

    @Test("the window's length comes from the step between resets, so a 1-second window is not taken for 10")
    func windowLength() {
        var controller = AdaptiveConcurrency()
        controller.record(.answered(latency: .milliseconds(10), rateLimit: RateLimit(limit: 500, remaining: 400, reset: 101)), inFlight: 1, now: Self.zero, unixNow: 100.2)
        #expect(controller.allowedRate == 500)
        controller.record(.answered(latency: .milliseconds(10), rateLimit: RateLimit(limit: 500, remaining: 499, reset: 102)), inFlight: 1, now: Self.at(1), unixNow: 101.1)
        #expect(controller.allowedRate == 500)
        var slow = AdaptiveConcurrency()
        slow.record(.answered(latency: .milliseconds(10), rateLimit: RateLimit(limit: 1667, remaining: 1600, reset: 110)), inFlight: 1, now: Self.zero, unixNow: 100.5)
        #expect(slow.allowedRate == 1667.0 / 10)
    }

    @Test("a 429 or an overload cuts the limit by a quarter, once a round trip, and stops growth for a window")
    func cutsOnRefusal() {
        var controller = AdaptiveConcurrency(initial: 40, maximum: 128)
        controller.record(.answered(latency: .milliseconds(100), rateLimit: nil), inFlight: 1, now: Self.zero, unixNow: 0)
        controller.record(.rateLimited(rateLimit: nil), inFlight: 40, now: Self.at(0.1), unixNow: 0)
        #expect(controller.limit == 30)
        controller.record(.rateLimited(rateLimit: nil), inFlight: 40, now: Self.at(0.15), unixNow: 0)
        #expect(controller.limit == 30, "a burst of 429s within one round trip is one signal")
        controller.record(.overloaded, inFlight: 30, now: Self.at(0.3), unixNow: 0)
        #expect(controller.limit == 23)
        for step in 0..<100 {
            controller.record(.answered(latency: .milliseconds(100), rateLimit: nil), inFlight: 23, now: Self.at(0.4 + Double(step) * 0.01), unixNow: 0)
        }
        #expect(controller.limit == 23, "no growth within the window after a refusal")
        for step in 0..<100 {
            controller.record(.answered(latency: .milliseconds(100), rateLimit: nil), inFlight: 23, now: Self.at(11 + Double(step) * 0.01), unixNow: 0)
        }
        #expect(controller.limit > 23, "growth again after it")
    }

    @Test("without rate-limit headers: grows while every slot is busy and latency is flat, not while slots are idle, and shrinks when latency shows a queue")
    func followsTheLatency() {
        var controller = AdaptiveConcurrency(initial: 8, maximum: 128)
        for step in 0..<20 {
            controller.record(.answered(latency: .milliseconds(50), rateLimit: nil), inFlight: 2, now: Self.at(Double(step) * 0.01), unixNow: 0)
        }
        #expect(controller.limit == 8, "idle slots: no reason to grow")
        for step in 0..<20 {
            controller.record(.answered(latency: .milliseconds(50), rateLimit: nil), inFlight: controller.limit, now: Self.at(1 + Double(step) * 0.01), unixNow: 0)
        }
        #expect(controller.limit == 28, "one more per answer before any sign of a queue")
        var time = 2.0
        while controller.latency! < .milliseconds(121) {
            controller.record(.answered(latency: .milliseconds(400), rateLimit: nil), inFlight: controller.limit, now: Self.at(time), unixNow: 0)
            time += 0.01
        }
        #expect(controller.limit < 28, "latency over twice its floor plus the slack: \(controller.limit)")
        let shrunk = controller.limit
        controller.record(.answered(latency: .milliseconds(400), rateLimit: nil), inFlight: shrunk, now: Self.at(time), unixNow: 0)
        #expect(controller.limit == shrunk, "at most one cut a round trip")
    }

    @Test("an import at 100 ms and at 300 ms latency fills a 1667/10s limit with no 429", arguments: [100, 300])
    func fillsTheLimit(milliseconds: Int) {
        let outcome = ImportSimulation(clients: 1, requests: 12_000, latency: { _ in .milliseconds(milliseconds) }).run()
        #expect(outcome.rejected == 0)
        #expect(outcome.fill >= 0.95, "\(outcome)")
    }

    @Test("latency that triples mid-run: the limit follows it and the windows stay full, with no 429")
    func latencyChangesMidRun() {
        let outcome = ImportSimulation(clients: 1, requests: 14_000, latency: { $0 < 30 ? .milliseconds(100) : .milliseconds(300) }).run()
        #expect(outcome.rejected == 0)
        #expect(outcome.fill >= 0.95, "\(outcome)")
        #expect(outcome.windows.dropFirst().dropLast().allSatisfy { $0 >= 1_500 }, "\(outcome.windows)")
    }

    @Test("two clients on one limit: together they fill it, fewer than 1 % of requests get a 429, and neither starves")
    func twoClientsShare() {
        let outcome = ImportSimulation(clients: 2, requests: 12_000, latency: { _ in .milliseconds(100) }).run()
        #expect(outcome.fill >= 0.9, "\(outcome)")
        #expect(Double(outcome.rejected) < 0.01 * Double(outcome.sent), "\(outcome)")
        #expect(outcome.finishedAt.allSatisfy { $0 < outcome.finishedAt.max()! * 1.3 + 10 }, "\(outcome.finishedAt)")
    }
}

/// Clients importing through ``AdaptiveConcurrency`` and ``RequestPacer``, as the executor drives them, against a
/// server that admits `limit` requests per fixed window and answers with `X-RateLimit-*` headers; a 429 is retried.
struct ImportSimulation {
    var clients: Int
    var requests: Int
    var limit = 1667
    var windowSeconds = 10.0
    /// The round trip at a time (seconds since the start); half of it on the way to the server.
    var latency: (Double) -> Duration

    struct Outcome: CustomStringConvertible {
        var sent = 0
        var rejected = 0
        /// Requests admitted in each window, in order.
        var windows: [Int] = []
        /// When each client's last request was answered, in seconds.
        var finishedAt: [Double] = []
        /// The mean of the full windows (not the first or the last) over the limit.
        var fill = 0.0
        var description: String { "sent \(sent), 429 \(rejected), fill \(fill), windows \(windows)" }
    }

    private struct Client {
        var controller = AdaptiveConcurrency()
        var pacer = RequestPacer()
        var left: Int
        var inFlight = 0
        var requestsInFlight = 0
    }

    private enum Event {
        case start(client: Int)
        case arrive(client: Int)
        case answer(client: Int, rateLimit: RateLimit, admitted: Bool, latency: Duration)
    }

    func run() -> Outcome {
        let zero = ContinuousClock.now
        let base = 2_000_000.0 + 3.7
        func seconds(_ instant: ContinuousClock.Instant) -> Double { (instant - zero) / .seconds(1) }
        var events = EventQueue<Event>()
        var state = (0..<clients).map { _ in Client(left: requests / clients) }
        var outcome = Outcome(finishedAt: Array(repeating: 0, count: clients))
        var window: (index: Int64, count: Int) = (.min, 0)
        func fill(_ client: Int, now: ContinuousClock.Instant) {
            while state[client].left > 0 && state[client].inFlight < state[client].controller.limit {
                state[client].left -= 1
                state[client].inFlight += 1
                events.schedule(now, .start(client: client))
            }
        }
        for client in 0..<clients { fill(client, now: zero) }
        while let (time, event) = events.next() {
            switch event {
            case .start(let client):
                let start = state[client].pacer.reserve(now: time)
                events.schedule(start + latency(seconds(start)) / 2, .arrive(client: client))
                state[client].requestsInFlight += 1
                outcome.sent += 1
            case .arrive(let client):
                let unix = base + seconds(time)
                let index = Int64((unix / windowSeconds).rounded(.down))
                if index != window.index {
                    if window.index != .min { outcome.windows.append(window.count) }
                    window = (index, 0)
                }
                let admitted = window.count < limit
                if admitted { window.count += 1 }
                let headers = RateLimit(limit: limit, remaining: limit - window.count, reset: (index + 1) * Int64(windowSeconds))
                let roundTrip = latency(seconds(time))
                events.schedule(time + roundTrip / 2, .answer(client: client, rateLimit: headers, admitted: admitted, latency: roundTrip))
            case .answer(let client, let rateLimit, let admitted, let roundTrip):
                let unix = base + seconds(time)
                let answer: AdaptiveConcurrency.Answer = admitted ? .answered(latency: roundTrip, rateLimit: rateLimit) : .rateLimited(rateLimit: rateLimit)
                state[client].controller.record(answer, inFlight: state[client].requestsInFlight, now: time, unixNow: unix)
                state[client].requestsInFlight -= 1
                state[client].pacer.observe(rateLimit, now: time, unixNow: unix, latency: admitted ? roundTrip : nil)
                if admitted {
                    state[client].inFlight -= 1
                    outcome.finishedAt[client] = seconds(time)
                    fill(client, now: time)
                } else {
                    outcome.rejected += 1
                    events.schedule(time, .start(client: client))
                }
            }
        }
        outcome.windows.append(window.count)
        let full = outcome.windows.dropFirst().dropLast()
        outcome.fill = full.isEmpty ? 0 : Double(full.reduce(0, +)) / Double(full.count) / Double(limit)
        return outcome
    }
}

/// Events in time order (ties in the order they were scheduled).
struct EventQueue<Event> {
    private var heap: [(time: ContinuousClock.Instant, order: Int, event: Event)] = []
    private var order = 0

    mutating func schedule(_ time: ContinuousClock.Instant, _ event: Event) {
        order += 1
        heap.append((time, order, event))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func next() -> (ContinuousClock.Instant, Event)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = parent * 2 + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return (first.time, first.event)
    }

    private static func before(
        _ a: (time: ContinuousClock.Instant, order: Int, event: Event), _ b: (time: ContinuousClock.Instant, order: Int, event: Event)
    ) -> Bool {
        (a.time, a.order) < (b.time, b.order)
    }
}
