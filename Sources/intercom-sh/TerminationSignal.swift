import Dispatch
import Foundation

/// Waits for SIGINT or SIGTERM in a non-interactive process.
enum TerminationSignal {
    /// Returns the name of the first of SIGINT or SIGTERM to arrive.
    static func wait() async -> String {
        await withCheckedContinuation { continuation in
            let once = DispatchQueue(label: "intercom-sh.signals")
            var sources: [any DispatchSourceSignal] = []
            var resumed = false
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: once)
                source.setEventHandler {
                    guard !resumed else { return }
                    resumed = true
                    sources.forEach { $0.cancel() }
                    continuation.resume(returning: name)
                }
                sources.append(source)
                source.resume()
            }
        }
    }
}
