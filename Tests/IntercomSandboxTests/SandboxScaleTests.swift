import IntercomKit
@testable import IntercomSandbox
import Testing

/// The store holds a million users with lookups by user_id and email still hashed (no test asserts speed;
/// scripts/bench measures rates).
@Suite("Sandbox at scale")
struct SandboxScaleTests {
    @Test("1,000,000 users: every lookup by user_id and by email finds its user; the last page is right")
    func millionUsers() throws {
        let store = SandboxStore()
        let count = 1_000_000
        for index in 0..<count {
            var changes = UserChanges()
            changes.userID = "user-\(index)"
            changes.email = "user\(index)@example.com"
            _ = try store.upsertUser(changes)
        }
        #expect(store.statistics.users == count)
        for index in [0, 1, 499_999, 777_777, count - 1] {
            #expect(try store.user(userID: "user-\(index)", email: nil)["email"] == .string("user\(index)@example.com"))
            #expect(try store.user(userID: nil, email: "USER\(index)@example.com")["user_id"] == .string("user-\(index)"))
        }
        let last = store.listUsers(page: 2_000, perPage: 500, tagID: nil, tagName: nil)
        #expect(last["users"]?.arrayValue?.count == 500)
        #expect(last["users"]?.arrayValue?.last?["user_id"] == .string("user-\(count - 1)"))
        #expect(last["next_page"] == .null)
    }
}
