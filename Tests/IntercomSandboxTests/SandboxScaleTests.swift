import IntercomKit
@testable import IntercomSandbox
import Testing

/// The store holds many users with lookups by user_id and email still indexed (no test asserts speed; scripts/bench
/// fills both kinds of store with 1,000,000 users in a release build and reports create and lookup rates).
@Suite("Sandbox at scale")
struct SandboxScaleTests {
    @Test("200,000 users: every lookup by user_id and by email finds its user; the last page is right")
    func manyUsers() throws {
        let store = SandboxStore()
        let count = 200_000
        for index in 0..<count {
            var changes = UserChanges()
            changes.userID = "user-\(index)"
            changes.email = "user\(index)@example.com"
            _ = try store.upsertUser(changes)
        }
        #expect(try store.statistics().users == count)
        for index in [0, 1, 99_999, 177_777, count - 1] {
            #expect(try store.user(userID: "user-\(index)", email: nil)["email"] == .string("user\(index)@example.com"))
            #expect(try store.user(userID: nil, email: "USER\(index)@example.com")["user_id"] == .string("user-\(index)"))
        }
        let last = try store.listUsers(page: count / 500, perPage: 500, tagID: nil, tagName: nil)
        #expect(last["users"]?.arrayValue?.count == 500)
        #expect(last["users"]?.arrayValue?.last?["user_id"] == .string("user-\(count - 1)"))
        #expect(last["next_page"] == .null)
    }
}
