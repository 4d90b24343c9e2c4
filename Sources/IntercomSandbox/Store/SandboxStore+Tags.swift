import OrderedCollections
import Synchronization
import IntercomKit

extension SandboxStore {
    /// The tag with this name.
    func tag(named name: String) throws(SandboxError) -> JSONValue {
        try state.withLock { state throws(SandboxError) in
            guard let tag = state.tags[name] else { throw SandboxError.notFound("Tag") }
            return tag.json
        }
    }

    /// Creates the tag if it does not exist, then tags or untags the listed users (unknown ones are ignored).
    func upsertTag(name: String, action: TagAction?, userIDs: [String], emails: [String]) -> JSONValue {
        let now = clock()
        return state.withLock { state in
            if state.tags[name] == nil {
                let id = state.makeID(now: now)
                state.tags[name] = TagRecord(id: id, name: name)
                state.tagNameByID[id] = name
            }
            let sequences = userIDs.compactMap { state.sequenceByUserID[$0] }
                + emails.compactMap { state.sequenceByEmail[$0.lowercased()] }
            switch action {
            case .tag: state.tags[name]!.members.formUnion(sequences)
            case .untag: state.tags[name]!.members.subtract(sequences)
            case nil: break
            }
            return state.tags[name]!.json
        }
    }
}
