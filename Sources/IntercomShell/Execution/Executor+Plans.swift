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
    /// in order. With `journaling`, the walk goes on from the checkpoint an earlier run left, and saves one before the
    /// first page and after each page once its records are emitted, until an item fails (a resume then goes on from before it, so that it is
    /// asked for again).
    func walk(
        _ pages: some PageWalking, for operation: OperationName, line: Int, willSend: (@Sendable () -> Bool)?,
        journaling: WalkJournaling? = nil,
        keeping keeps: (JSONValue) -> Bool = { _ in true },
        expanding expand: (([JSONValue]) async -> [Result<JSONValue, ResultRecord.Failure>])? = nil,
        emit: (Result<JSONValue, ResultRecord.Failure>) async throws -> Void
    ) async throws {
        var pages = pages
        var willSend = willSend
        statistics.noteWalk(active: true, of: operation)
        defer { statistics.noteWalk(active: false, of: operation) }
        var written = 0
        var failedItems = false
        if let checkpoint = journaling?.resumeFrom {
            guard pages.resume(from: checkpoint) else {
                return try await emit(.failure(.init(
                    type: .journalMismatch, message: "the journal's checkpoint of this list is not one this intercom-sh reads: start a new journal")))
            }
            written = checkpoint.written
            statistics.notePage(items: written, total: pages.reportedTotal)
            statistics.note("line \(line), \(operation.rawValue): went on from the journal's checkpoint, after the \(written) items an earlier run wrote")
        } else if let journaling, let start = pages.checkpoint {
            // Where the output stood before the first record: a resume cuts back to it even before a page is out.
            try await journaling.save(start)
        }
        while let request = pages.next {
            let body: JSONValue?
            switch await deliver(request, operation: operation, effect: .read, willSend: willSend) {
            case .failure(let failure) where pages.failed(failure):
                statistics.note("line \(line), \(operation.rawValue): a later page failed (\(failure.message)); the walk started again from its first page, leaving out the items it had given")
                continue
            case .failure(let failure): return try await emit(.failure(failure))
            case .success(let response): body = response.body
            }
            willSend = nil
            let page = pages.received(body)
            let emitted = try await emitPage(page, keeping: keeps, expanding: expand, emit: emit)
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

    /// Emits the items of `page` that `keeps` keeps (or what `expand` makes of them); returns how many succeeded and
    /// whether any failed.
    private func emitPage(
        _ page: PageAnswer, keeping keeps: (JSONValue) -> Bool,
        expanding expand: (([JSONValue]) async -> [Result<JSONValue, ResultRecord.Failure>])?,
        emit: (Result<JSONValue, ResultRecord.Failure>) async throws -> Void
    ) async throws -> (succeeded: Int, failed: Bool) {
        let kept = page.items.filter(keeps)
        var written = 0
        var failed = false
        for outcome in await expand?(kept) ?? kept.map({ .success($0) }) {
            if case .success(let item) = outcome {
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
