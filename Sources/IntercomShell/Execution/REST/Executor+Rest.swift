import IntercomKit

extension Executor {
    /// Runs `operation` on the REST API (2.x): its plan's requests one after another, each delivered (paced,
    /// retried) like a v1 request; the contacts and tags the answers show go to the run's directories. `willSend`
    /// is asked before the first request only.
    func executeRest(
        _ operation: Operation, line: Int, willSend: (@Sendable () -> Bool)?, emit: (ResultRecord) async throws -> Void
    ) async throws {
        let started = ContinuousClock.now
        func record(_ outcome: Result<JSONValue, ResultRecord.Failure>) -> ResultRecord {
            ResultRecord(line: line, ref: operation.ref, op: operation.name.rawValue, outcome: outcome, elapsed: ContinuousClock.now - started)
        }
        var goal: RestGoal
        do { goal = try operation.restGoal(now: now) } catch {
            try await emit(ResultRecord(line: line, ref: operation.ref, op: operation.name.rawValue, outcome: .failure(error)))
            return
        }
        if dryRun {
            try await emit(ResultRecord(line: line, ref: operation.ref, op: operation.name.rawValue, outcome: Self.restDryRun(plan(for: goal))))
            return
        }
        statistics.countOperation(operation.name)
        var willSend = willSend
        if case .taggedPage(let tagName, let page, let perPage) = goal {
            switch await run(TagPlan(.find(tagName), knownTagID: tags.id(named: tagName)), for: operation.name, willSend: &willSend) {
            case .finish(let tag): goal = .contact(.page(page, perPage: perPage, tagID: tag["id"]?.stringValue))
            case .fail(let failure): return try await emit(record(.failure(failure)))
            case .send: return
            }
        }
        if createAttributes, case .contact(.upsert(_, let fields)) = goal, let custom = fields["custom_attributes"]?.objectValue, !custom.isEmpty {
            var plan = AttributePlan(custom, known: attributes.known)
            let step = await run(plan, for: operation.name, willSend: &willSend) { plan = $0 as? AttributePlan ?? plan }
            attributes.remember(plan.defined)
            if case .fail(let failure) = step { return try await emit(record(.failure(failure))) }
        }
        if operation.name == .allUsers, case .contact(.page(_, let perPage, let tagID)) = goal {
            try await allContacts({ ContactPlan.pageRequest(perPage: perPage, tagID: tagID, after: $0) }, for: operation.name, willSend: willSend) {
                try await emit(record($0))
            }
            return
        }
        if case .search(let query, let perPage) = goal {
            try await allContacts({ .searchContacts(query, perPage: perPage, startingAfter: $0) }, for: operation.name, willSend: willSend) {
                try await emit(record($0))
            }
            return
        }
        switch await run(plan(for: goal), for: operation.name, willSend: &willSend) {
        case .finish(let result): try await emit(record(.success(result)))
        case .fail(let failure): try await emit(record(.failure(failure)))
        case .send: break
        }
    }

    /// The plan of a goal, told what the run's directories know.
    func plan(for goal: RestGoal) -> any RestOperationPlan {
        switch goal {
        case .contact(let goal):
            if case .unarchive(let user, let id) = goal { return ContactPlan(goal, knownID: id ?? contacts.archivedID(for: user)) }
            return ContactPlan(goal, knownID: goal.explicitID ?? goal.user.flatMap(contacts.id(for:)))
        case .tag(let goal):
            return TagPlan(goal, knownTagID: tags.id(named: goal.name), knownContactIDs: goal.users.map(contacts.id(for:)))
        case .conversation(let goal):
            return ConversationPlan(goal, knownContactID: goal.user.flatMap(contacts.id(for:)))
        case .taggedPage(let tagName, _, _):
            return TagPlan(.find(tagName), knownTagID: tags.id(named: tagName))
        case .search(let query, let perPage):
            return ContactPlan(.single(.searchContacts(query, perPage: perPage), .searchUsers))
        }
    }

    /// Runs a plan to its end, its requests counted under `operation`, and returns its last step (`finish` or
    /// `fail`); what it learned goes to the directories, and the plan as it ended to `ended`.
    private func run(
        _ plan: any RestOperationPlan, for operation: OperationName, willSend: inout (@Sendable () -> Bool)?,
        ended: (any RestOperationPlan) -> Void = { _ in }
    ) async -> RestStep {
        var plan = plan
        var step = plan.start()
        while case .send(let request, let retryAs) = step {
            let outcome = await deliver(request, operation: operation, retryAs: retryAs, willSend: willSend)
            willSend = nil
            step = plan.received(outcome)
        }
        plan.learned.forEach(contacts.remember)
        plan.forgotten.forEach(contacts.forget(id:))
        plan.learnedTags.forEach(tags.remember)
        ended(plan)
        return step
    }

    /// Every contact of the pages `page(cursor)` asks for, following the cursors (one record each, remembered in
    /// the directory); a page that fails ends it with one failure.
    private func allContacts(
        _ page: (String?) -> IntercomRequest, for operation: OperationName, willSend: (@Sendable () -> Bool)?,
        emit: (Result<JSONValue, ResultRecord.Failure>) async throws -> Void
    ) async throws {
        var cursor: String?
        var willSend = willSend
        repeat {
            let request = page(cursor)
            let page: JSONValue?
            switch await deliver(request, operation: operation, retryAs: .getUsers, willSend: willSend) {
            case .failure(let failure):
                try await emit(.failure(failure))
                return
            case .success(let response): page = response.body
            }
            willSend = nil
            for contact in page?["data"]?.arrayValue ?? [] {
                contacts.remember(contact)
                try await emit(.success(contact))
            }
            let next = page?["pages"]?["next"]?["starting_after"]?.stringValue
            guard next != cursor else { return }
            cursor = next
        } while cursor != nil
    }

    /// What `--dry-run` shows on the REST API: the first request, and that later ones depend on its answer.
    static func restDryRun(_ plan: any RestOperationPlan) -> Result<JSONValue, ResultRecord.Failure> {
        var plan = plan
        switch plan.start() {
        case .send(let request, _):
            guard case .object(var described) = describe(request) else { return .success(["dry_run": describe(request)]) }
            if !plan.isSingleRequest { described["then"] = "further requests depend on this answer" }
            return .success(["dry_run": .object(described)])
        case .finish(let result): return .success(["dry_run": result])
        case .fail(let failure): return .failure(failure)
        }
    }
}
