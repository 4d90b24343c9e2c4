import Foundation
import IntercomKit

extension Executor {
    /// Runs `operation` on the REST API (2.x): its plan's requests one after another, each delivered (paced,
    /// retried) like a v1 request; the contacts and tags the answers show go to the run's directories. `willSend`
    /// is asked before the first request only.
    func executeRest(
        _ operation: Operation, line: Int, willSend: (@Sendable () -> Bool)?, journaling: WalkJournaling?,
        emit: (ResultRecord) async throws -> Void
    ) async throws {
        let started = ContinuousClock.now
        func record(_ outcome: Result<JSONValue, ResultRecord.Failure>, text: [UInt8]? = nil) -> ResultRecord {
            ResultRecord(
                line: line, ref: operation.ref, op: operation.name.rawValue, outcome: outcome, elapsed: ContinuousClock.now - started, resultText: text)
        }
        let goal: RestGoal
        do { goal = try operation.restGoal(now: now) } catch {
            try await emit(ResultRecord(line: line, ref: operation.ref, op: operation.name.rawValue, outcome: .failure(error)))
            return
        }
        if dryRun {
            let chained = if case .upsertWithCompanies = goal { true } else { false }
            let outcome = if case .api(let call) = goal { Self.apiDryRun(call) } else { Self.restDryRun(plan(for: goal), continues: chained) }
            try await emit(ResultRecord(line: line, ref: operation.ref, op: operation.name.rawValue, outcome: outcome))
            return
        }
        statistics.countOperation(operation.name)
        var willSend = willSend
        var applied: [String] = []
        switch await prepared(goal, for: operation.name, willSend: &willSend, applied: &applied) {
        case .failure(let failure): try await emit(record(.failure(failure.afterApplying(applied))))
        case .success(let ready): try await finish(ready, operation: operation, line: line, willSend: willSend, journaling: journaling, applied: applied) {
                try await emit(record($0.outcome, text: $0.text))
            }
        }
    }

    /// `goal` made ready to run: a tag name resolved to its id, the custom attributes a create sets defined (with
    /// `--create-attributes`), a search's custom attributes typed as the workspace has them.
    private func prepared(
        _ goal: RestGoal, for operation: OperationName, willSend: inout (@Sendable () -> Bool)?, applied: inout [String]
    ) async -> Result<RestGoal, ResultRecord.Failure> {
        let custom = goal.customAttributes
        if createAttributes, !custom.contact.isEmpty || !custom.company.isEmpty {
            for (attributes, directory, model) in [(custom.contact, attributes, "contact"), (custom.company, companyAttributes, "company")]
            where !attributes.isEmpty {
                var plan = AttributePlan(attributes, known: directory.known, model: model)
                let step = await run(plan, for: operation, willSend: &willSend, applied: &applied) { plan = $0 as? AttributePlan ?? plan }
                directory.remember(plan.defined)
                if case .fail(let failure) = step { return .failure(failure) }
            }
            return .success(goal)
        }
        switch goal {
        case .taggedPage(let tagName, let page, let perPage, let all):
            switch await run(TagPlan(.find(tagName), knownTagID: tags.id(named: tagName)), for: operation, willSend: &willSend, applied: &applied) {
            case .finish(let tag):
                let tagID = tag["id"]?.stringValue
                return .success(all ? .allContacts(perPage: perPage, tagID: tagID) : .contact(.page(page, perPage: perPage, tagID: tagID)))
            case .fail(let failure): return .failure(failure)
            case .send: return .failure(Delivery.interrupted)
            }
        case .conversationAction(let goal):
            if let failure = await resolveTeammates(for: goal, operation: operation) { return .failure(failure) }
            return .success(.conversationAction(goal))
        case .export(var export) where export.query?.hasCustomAttributes == true:
            guard let query = export.query else { return .success(goal) }
            return await typedForWorkspace(query, operation: operation, willSend: &willSend).map { typed in
                export.query = typed
                return .export(export)
            }
        case .search(let query, let perPage) where query.hasCustomAttributes:
            return await typedForWorkspace(query, operation: operation, willSend: &willSend).map { .search($0, perPage: perPage) }
        default:
            return .success(goal)
        }
    }

    /// Runs a goal made ready: a walk over every page (one record per item), or its plan to one result.
    private func finish(
        _ goal: RestGoal, operation: Operation, line: Int, willSend: (@Sendable () -> Bool)?, journaling: WalkJournaling?, applied: [String],
        emit: OutcomeEmitter
    ) async throws {
        switch goal {
        case .allContacts(let perPage, let tagID):
            let pages = ContactPageWalk { ContactPlan.pageRequest(perPage: perPage, tagID: tagID, after: $0) }
            return try await walk(pages, for: operation.name, line: line, willSend: willSend, journaling: journaling, emit: emit)
        case .search(let query, let perPage):
            let pages = ContactPageWalk { .searchContacts(query, perPage: perPage, startingAfter: $0) }
            return try await walk(pages, for: operation.name, line: line, willSend: willSend, journaling: journaling, emit: emit)
        case .walk(let first):
            let pages = APIPageWalk(first: first, basePath: client.configuration.endpoint.path)
            return try await walk(pages, for: operation.name, line: line, willSend: willSend, journaling: journaling, emit: emit)
        case .export(let export):
            return try await self.export(export, for: operation.name, line: line, willSend: willSend, journaling: journaling, emit: emit)
        case .upsertWithCompanies(let user, let fields, let companies):
            return try await emit(StepOutcome(await upsert(user, fields, companies: companies, operation: operation.name, willSend: willSend, applied: applied)))
        case .api(let call):
            for warning in call.warnings { statistics.noteWarning("line \(line): \(call.documented.method) \(call.documented.path): \(warning)") }
            if call.all {
                let pages = APIPageWalk(first: call.request, basePath: client.configuration.endpoint.path)
                return try await walk(pages, for: operation.name, line: line, willSend: willSend, journaling: journaling, emit: emit)
            }
        default:
            break
        }
        var willSend = willSend
        var applied = applied
        switch await run(plan(for: goal), for: operation.name, willSend: &willSend, applied: &applied) {
        case .finish(let result): try await emit(.success(result))
        case .fail(let failure): try await emit(.failure(hinting(failure, for: goal).afterApplying(applied)))
        case .send: break
        }
    }

    /// The companies upserted, the contact upserted, then attached to each: the contact's answer, or the failure
    /// that stopped it, naming what was applied before.
    private func upsert(
        _ user: UserIdentifier, _ fields: JSONObject, companies: [JSONObject], operation: OperationName, willSend: (@Sendable () -> Bool)?,
        applied: [String]
    ) async -> Result<JSONValue, ResultRecord.Failure> {
        var willSend = willSend
        var applied = applied
        var companyIDs: [String] = []
        for body in companies {
            switch await run(CompanyPlan(.upsert(body)), for: operation, willSend: &willSend, applied: &applied) {
            case .finish(let company):
                guard let id = company["id"]?.stringValue else {
                    return .failure(ResultRecord.Failure(type: .api(.invalidResponse), message: "a company upsert answered with no id").afterApplying(applied))
                }
                companyIDs.append(id)
            case .fail(let failure):
                return .failure(hinting(failure, for: .upsertWithCompanies(user, fields, companies: companies)).afterApplying(applied))
            case .send: return .failure(Delivery.interrupted.afterApplying(applied))
            }
        }
        let goal = RestGoal.contact(.upsert(user, fields))
        let contact: JSONValue
        switch await run(plan(for: goal), for: operation, willSend: &willSend, applied: &applied) {
        case .finish(let answer): contact = answer
        case .fail(let failure): return .failure(hinting(failure, for: goal).afterApplying(applied))
        case .send: return .failure(Delivery.interrupted.afterApplying(applied))
        }
        guard let contactID = contact["id"]?.stringValue else {
            return .failure(ResultRecord.Failure(type: .api(.invalidResponse), message: "the contact upsert answered with no id").afterApplying(applied))
        }
        for id in companyIDs {
            let attach = IntercomRequest(
                method: .post, path: "contacts/\(IntercomRequest.pathSegment(contactID))/companies", body: ["id": .string(id)])
            if case .fail(let failure) = await run(SingleRequestPlan(request: attach, effect: .idempotentWrite), for: operation, willSend: &willSend, applied: &applied) {
                return .failure(failure.afterApplying(applied))
            }
        }
        return .success(contact)
    }

    /// The plan of a goal, told what the run's directories know.
    func plan(for goal: RestGoal) -> any OperationPlan {
        switch goal {
        case .contact(let goal):
            if case .unarchive(let user, _) = goal { return ContactPlan(goal, knownID: contacts.archivedID(for: user)) }
            return ContactPlan(goal, knownID: goal.user.flatMap(contacts.id(for:)))
        case .tag(let goal):
            return TagPlan(goal, knownTagID: tags.id(named: goal.name), knownContactIDs: goal.users.map(contacts.id(for:)))
        case .conversation(let goal):
            return ConversationPlan(goal, knownContactID: goal.user.flatMap(contacts.id(for:)))
        case .conversationAction(let goal):
            return ConversationActionPlan(goal, knowledge: teammates.known, knownTagID: goal.action.tagName.flatMap(tags.id(named:)))
        case .taggedPage(let tagName, _, _, _):
            return TagPlan(.find(tagName), knownTagID: tags.id(named: tagName))
        case .allContacts(let perPage, let tagID):
            return ContactPlan(.page(1, perPage: perPage, tagID: tagID))
        case .search(let query, let perPage):
            return ContactPlan(.single(.searchContacts(query, perPage: perPage), .read))
        case .api(let call):
            return SingleRequestPlan(request: call.request, effect: call.effect)
        case .request(let request, let effect):
            return SingleRequestPlan(request: request, effect: effect)
        case .company(let goal):
            return CompanyPlan(goal, knownContactID: goal.user.flatMap(contacts.id(for:)))
        case .walk(let first):
            return SingleRequestPlan(request: first, effect: .read)
        case .export(let export):
            let first: IntercomRequest = switch export.kind {
            case .companies: .get("companies/scroll")
            case .contacts: .listContacts(perPage: 150)
            case .conversations: .get("conversations", query: [("per_page", "150")])
            }
            return SingleRequestPlan(request: first, effect: .read)
        case .upsertWithCompanies(_, _, let companies):
            return CompanyPlan(.upsert(companies.first ?? [:]))
        }
    }

    /// What `--dry-run` shows of an `api` line: the request, where it differs from the description, and that every
    /// page would follow.
    static func apiDryRun(_ call: APICall) -> Result<JSONValue, ResultRecord.Failure> {
        if let reason = call.request.unsendableReason { return .failure(.init(type: .invalidInput, message: reason)) }
        guard case .object(var described) = describe(call.request) else { return .success(["dry_run": describe(call.request)]) }
        described["operation"] = .string(call.documented.id)
        if !call.warnings.isEmpty { described["warnings"] = .array(call.warnings.map(JSONValue.string)) }
        if call.all { described["then"] = "every further page, one record per item" }
        return .success(["dry_run": .object(described)])
    }

    /// `failure` with a word on what to do: a create or update refused for a custom attribute the workspace has not
    /// defined names `--create-attributes`, when the run was not given it.
    func hinting(_ failure: ResultRecord.Failure, for goal: RestGoal) -> ResultRecord.Failure {
        let custom = goal.customAttributes
        guard !createAttributes, !custom.contact.isEmpty || !custom.company.isEmpty,
            failure.type == .api(.clientError) || failure.type == .api(.unprocessable),
            failure.message.lowercased().contains("attribute")
        else { return failure }
        var hinted = failure
        hinted.message += " (run with --create-attributes to define the custom attributes a line sets)"
        return hinted
    }

    /// Asks `GET /me` and `GET /admins` as far as `goal` needs them and the run does not know them yet, each once for
    /// the whole run (lines needing one at the same time wait for the same request); the failure of either.
    private func resolveTeammates(for goal: ConversationActionPlan.Goal, operation: OperationName) async -> ResultRecord.Failure? {
        for need in goal.teammateNeeds(teammates.known) {
            let failure = await teammates.once(need) {
                switch await deliver(.get(need), operation: operation, effect: .read) {
                case .failure(let failure): return failure
                case .success(let response):
                    if need == "me" {
                        guard let me = TeammateDirectory.Knowledge.me(in: response.body) else {
                            return .init(type: .api(.invalidResponse), message: "GET /me answered with no admin id; nothing was changed")
                        }
                        teammates.remember(.init(me: me))
                    } else {
                        guard let admins = TeammateDirectory.Knowledge.admins(in: response.body) else {
                            return .init(type: .api(.invalidResponse), message: "GET /admins answered with no list of admins with ids; nothing was changed")
                        }
                        teammates.remember(.init(admins: admins))
                    }
                    return nil
                }
            }
            if let failure { return failure }
        }
        return nil
    }

    /// The items `export` pulls out, one record each: the walk of its kind, the items outside its window left out.
    private func export(
        _ export: ExportGoal, for operation: OperationName, line: Int, willSend: (@Sendable () -> Bool)?, journaling: WalkJournaling?,
        emit: OutcomeEmitter
    ) async throws {
        switch export.kind {
        case .companies:
            let pages = APIPageWalk(first: .get("companies/scroll"), basePath: client.configuration.endpoint.path)
            try await walk(pages, for: operation, line: line, willSend: willSend, journaling: journaling, keeping: export.keeps, emit: emit)
        case .contacts:
            let search: SearchQuery?
            do { search = try export.search() } catch { return try await emit(.failure(error)) }
            let pages = ContactPageWalk { cursor in
                search.map { .searchContacts($0, perPage: 150, startingAfter: cursor) } ?? ContactPlan.pageRequest(perPage: 150, tagID: nil, after: cursor)
            }
            try await walk(pages, for: operation, line: line, willSend: willSend, journaling: journaling, keeping: export.keeps, emit: emit)
        case .conversations:
            try await exportConversations(export, for: operation, line: line, willSend: willSend, journaling: journaling, emit: emit)
        }
    }

    /// `query` with its custom attributes typed as the workspace's data attributes say (listed once per run):
    /// an attribute the workspace does not have, or a value that cannot take its type, is `invalid_input`.
    private func typedForWorkspace(
        _ query: SearchQuery, operation: OperationName, willSend: inout (@Sendable () -> Bool)?
    ) async -> Result<SearchQuery, ResultRecord.Failure> {
        if !attributes.isListed {
            switch await deliver(.listDataAttributes, operation: operation, effect: .read, willSend: willSend) {
            case .failure(let failure): return .failure(failure)
            case .success(let response): attributes.rememberListed(response.body)
            }
            willSend = nil
        }
        do {
            return .success(try SearchRules.contacts.typed(query, customAttribute: attributes.kind(of:)))
        } catch {
            return .failure(ResultRecord.Failure(type: .invalidInput, message: error.message + "; nothing was searched"))
        }
    }

    /// What `--dry-run` shows on the REST API: the first request, and that later ones depend on its answer; a request
    /// a real run would refuse to send (a path segment that cannot be sent) is the `invalid_input` it would get.
    static func restDryRun(_ plan: any OperationPlan, continues: Bool = false) -> Result<JSONValue, ResultRecord.Failure> {
        var plan = plan
        switch plan.start() {
        case .send(let request, _) where request.unsendableReason != nil:
            return .failure(.init(type: .invalidInput, message: request.unsendableReason ?? ""))
        case .send(let request, _):
            guard case .object(var described) = describe(request) else { return .success(["dry_run": describe(request)]) }
            if !plan.isSingleRequest || continues { described["then"] = "further requests depend on this answer" }
            return .success(["dry_run": .object(described)])
        case .finish(let result): return .success(["dry_run": result])
        case .fail(let failure): return .failure(failure)
        }
    }
}
