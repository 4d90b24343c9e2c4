import IntercomKit

extension Executor {
    /// The most names the contact directory holds before a walk stops adding to it.
    static let walkDirectoryLimit = 20_000

    /// Runs a plan to its end, its requests counted under `operation`, and returns its last step (`finish` or
    /// `fail`); each write it got a success for is added to `applied` (`POST /contacts/1/notes`), what it learned
    /// goes to the directories, and the plan as it ended to `ended`.
    func run(
        _ plan: any OperationPlan, for operation: OperationName, willSend: inout (@Sendable () -> Bool)?, applied: inout [String],
        ended: (any OperationPlan) -> Void = { _ in }
    ) async -> PlanStep {
        var plan = plan
        var step = plan.start()
        while case .send(let request, let retryAs) = step {
            let outcome = await deliver(request, operation: operation, effect: retryAs, willSend: willSend)
            willSend = nil
            if case .success = outcome, request.method != .get, retryAs != .read {
                applied.append("\(request.method.rawValue) /\(request.path)")
            }
            step = plan.received(outcome)
        }
        plan.learned.forEach(contacts.remember)
        plan.forgotten.forEach(contacts.forget(id:))
        plan.learnedTags.forEach(tags.remember)
        plan.forgottenTags.forEach(tags.forget(id:))
        teammates.remember(plan.learnedTeammates)
        ended(plan)
        return step
    }

    /// Every item of the pages `pages` walks that `keeps` keeps, one record each, each page delivered (and retried) as a read; contacts
    /// among them go to the run's directory while it holds fewer than ``walkDirectoryLimit`` names (a long list
    /// would otherwise fill memory with contacts no later line may name). A page that fails, or a walk that would not end, ends it with one
    /// failure after the items it had; a walk that ends short of the total the API reported is noted for the summary.
    /// With `expanding`, each page's kept items are replaced by what it makes of them (each conversation fetched whole),
    /// in order. The next page is asked for while a page is used. With `journaling`, the walk goes on from the checkpoint an earlier run left, and saves one before the
    /// first page and after each page once its records are emitted, until an item fails (a resume then goes on from before it, so that it is
    /// asked for again).
    func walk(
        _ pages: some PageWalking, for operation: OperationName, line: Int, willSend: (@Sendable () -> Bool)?,
        journaling: WalkJournaling? = nil,
        keeping keeps: (JSONValue) -> Bool = { _ in true },
        expanding expand: (([JSONValue]) async -> [Result<JSONValue, ResultRecord.Failure>])? = nil,
        emit: OutcomeEmitter
    ) async throws {
        var pages = pages
        var willSend = willSend
        statistics.noteWalk(active: true, of: operation)
        defer { statistics.noteWalk(active: false, of: operation) }
        guard var written = try await beginJournal(&pages, journaling, for: operation, line: line, emit: emit) else { return }
        var failedItems = false
        // The next page is asked for as soon as its request is known, while this page's items are written (or, with
        // an expansion, fetched one by one): the server renders the next page while this one is used, and the rate
        // limit is not left idle between pages. A walk that guesses (``PageWalking/guessesNext``) asks from the
        // answer's text, before it is parsed; the guess is kept only when the parsed answer leads to it. A walk that
        // reads answers' text (to guess, or to keep its items' text) has them parsed here rather than in delivery.
        let readsText = pages.guessesNext || pages.itemsKey != nil
        var prefetched: PrefetchedPage?
        defer { prefetched?.task.cancel() }
        while let request = pages.next {
            var outcome: Result<IntercomResponse, ResultRecord.Failure>
            if let prefetched, prefetched.request == request {
                outcome = await prefetched.task.value
            } else {
                prefetched?.task.cancel()
                outcome = await deliver(request, operation: operation, effect: .read, willSend: willSend, deferringBody: readsText)
            }
            prefetched = nil
            willSend = nil
            if case .success(let response) = outcome {
                prefetched = guessedPage(after: response, of: pages, for: operation)
                // The guessed page's task sends its request before this page is parsed, not after.
                if prefetched != nil { await Task.yield() }
                outcome = parsed(response, keepingTextOfItemsIn: pages.itemsKey)
            }
            let parsed: IntercomResponse
            switch outcome {
            case .failure(let failure) where pages.failed(failure):
                statistics.note("line \(line), \(operation.rawValue): a later page failed (\(failure.message)); the walk started again from its first page, leaving out the items it had given")
                continue
            case .failure(let failure): return try await emit(.failure(failure))
            case .success(let response): parsed = response
            }
            let page = pages.received(parsed.body)
            let texts = page.positions.map { positions in positions.map { $0 < parsed.itemTexts.count ? parsed.itemTexts[$0] : nil } } ?? []
            if page.failure != nil || prefetched?.request != pages.next {
                prefetched?.task.cancel()
                prefetched = nil
            }
            if page.failure == nil, prefetched == nil, let following = pages.next {
                prefetched = PrefetchedPage(request: following, task: Task { [self] in
                    await deliver(following, operation: operation, effect: .read, deferringBody: readsText)
                })
            }
            if page.repeated > 0 {
                statistics.note("line \(line), \(operation.rawValue): left out \(page.repeated.counted("item")) the API had already given (on this page or an earlier one)")
            }
            let emitted = try await emitPage(page, texts: texts, keeping: keeps, expanding: expand, emit: emit)
            written += emitted.succeeded
            failedItems = failedItems || emitted.failed
            statistics.notePage(items: emitted.succeeded, total: pages.reportedTotal)
            if let failure = page.failure { return try await emit(.failure(failure)) }
            if let journaling, !failedItems, var checkpoint = pages.checkpoint {
                checkpoint.written = written
                try await journaling.save(checkpoint)
            }
        }
        if let shortfall = pages.shortfall { statistics.noteShortWalk("line \(line), \(operation.rawValue): \(shortfall)") }
    }

    /// A page asked for before the walk reached it: its request, and the task delivering it.
    struct PrefetchedPage {
        var request: IntercomRequest
        var task: Task<Result<IntercomResponse, ResultRecord.Failure>, Never>
    }

    /// The page `pages` guesses follows the unparsed `response`, asked for now (its body left unparsed); nil when
    /// it makes no guess.
    private func guessedPage(after response: IntercomResponse, of pages: some PageWalking, for operation: OperationName) -> PrefetchedPage? {
        guard let guess = response.withUnparsedBody({ pages.guessNext(fromAnswer: $0) }) ?? nil else { return nil }
        return PrefetchedPage(request: guess, task: Task { [self] in
            await deliver(guess, operation: operation, effect: .read, deferringBody: true)
        })
    }

    /// `response` with its body parsed (``IntercomClient/parsingBody(of:keepingTextOfItemsIn:)``), or the failure its
    /// body is, as delivery would have given it.
    private func parsed(_ response: IntercomResponse, keepingTextOfItemsIn itemsKey: String?) -> Result<IntercomResponse, ResultRecord.Failure> {
        do { return .success(try client.parsingBody(of: response, keepingTextOfItemsIn: itemsKey)) } catch {
            return .failure((error as? IntercomError).map { ResultRecord.Failure($0) } ?? .init(type: .api(.invalidResponse), message: "\(error)"))
        }
    }

    /// Takes a walk into its journal: on from the checkpoint an earlier run left (the items it wrote counted), or a
    /// first checkpoint saved before any record, so a resume cuts the output back to where the list began. Returns
    /// the items written so far, or nil when the checkpoint cannot be read (its failure emitted).
    private func beginJournal(
        _ pages: inout some PageWalking, _ journaling: WalkJournaling?, for operation: OperationName, line: Int,
        emit: OutcomeEmitter
    ) async throws -> Int? {
        guard let journaling else { return 0 }
        guard let checkpoint = journaling.resumeFrom else {
            if let start = pages.checkpoint { try await journaling.save(start) }
            return 0
        }
        guard pages.resume(from: checkpoint) else {
            try await emit(.failure(.init(
                type: .journalMismatch, message: "the journal's checkpoint of this list is not one this intercom-sh reads: start a new journal")))
            return nil
        }
        statistics.notePage(items: checkpoint.written, total: pages.reportedTotal)
        statistics.note("line \(line), \(operation.rawValue): went on from the journal's checkpoint, after the \(checkpoint.written) items an earlier run wrote")
        return checkpoint.written
    }

    /// Emits the items of `page` that `keeps` keeps, each with its text from `texts` (by position) when there is one, or
    /// what `expand` makes of them; returns how many succeeded and whether any failed.
    private func emitPage(
        _ page: PageAnswer, texts: [[UInt8]?], keeping keeps: (JSONValue) -> Bool,
        expanding expand: (([JSONValue]) async -> [Result<JSONValue, ResultRecord.Failure>])?,
        emit: OutcomeEmitter
    ) async throws -> (succeeded: Int, failed: Bool) {
        let kept = page.items.indices.filter { keeps(page.items[$0]) }
        let outcomes: [StepOutcome] = if let expand {
            await expand(kept.map { page.items[$0] }).map { StepOutcome($0) }
        } else {
            kept.map { .success(page.items[$0], text: $0 < texts.count ? texts[$0] : nil) }
        }
        var written = 0
        var failed = false
        for outcome in outcomes {
            if case .success(let item) = outcome.outcome {
                if item["type"]?.stringValue == "contact", contacts.count < Self.walkDirectoryLimit { contacts.remember(item) }
                written += 1
            } else {
                failed = true
            }
            try await emit(outcome)
        }
        return (written, failed)
    }
}
