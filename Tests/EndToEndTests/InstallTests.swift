import Foundation
import IntercomTesting
import Testing

/// `scripts/install`: the layout of an installation, a binary that needs only libedit, SQLite and the C library, its man page and completions.
@Suite("Installation", .serialized)
struct InstallTests {
    /// Runs a program and returns its status and output (standard error merged in).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.currentDirectoryURL = RepositoryPaths.root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = await onThread { output.fileHandleForReading.readDataToEndOfFile() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The shared libraries an ELF file names as NEEDED (what the dynamic loader must find to start it).
    static func neededLibraries(of binary: String) async throws -> [String] {
        let dynamic = try await run("/usr/bin/readelf", ["-d", binary])
        try #require(dynamic.status == 0, "\(dynamic.output)")
        return dynamic.output.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap { line in
            guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
    }

    @Test("install into a prefix: layout, needs only libedit, SQLite and libc, runs on its sandbox, man page renders, bash completes subcommands")
    func installIntoAPrefix() async throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        // scripts/test has just made the release build with scripts/build-release; it is installed as it is (a second
        // `swift build` of it would recompile part of Hummingbird for nothing). Without it, scripts/install builds it.
        let release = RepositoryPaths.root.appendingPathComponent(".build-static/release/intercom-sh").path
        let reuse = FileManager.default.isExecutableFile(atPath: release) ? ["--binary", release] : []
        let install = try await Self.run(
            RepositoryPaths.root.appendingPathComponent("scripts/install").path,
            ["--prefix", prefix.path] + reuse)
        try #require(install.status == 0, "\(install.output)")

        let files = [
            "bin/intercom-sh", "share/man/man1/intercom-sh.1", "share/bash-completion/completions/intercom-sh",
            "share/zsh/site-functions/_intercom-sh", "share/fish/vendor_completions.d/intercom-sh.fish",
        ]
        for file in files { #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(file).path), "\(file)") }
        let binary = prefix.appendingPathComponent("bin/intercom-sh").path
        #expect(FileManager.default.isExecutableFile(atPath: binary))

        let libraries = try await Self.neededLibraries(of: binary)
        #expect(libraries.contains { $0.hasPrefix("libedit.so.") } && libraries.contains("libsqlite3.so.0"), "\(libraries)")
        let others = libraries.filter { library in
            !library.hasPrefix("libedit.so.") && !library.hasPrefix("ld-linux")
                && !["libsqlite3.so.0", "libc.so.6", "libm.so.6"].contains(library)
        }
        #expect(others.isEmpty, "the binary needs more than libedit, SQLite and the C library: \(others)")
        let symbols = try await Self.run("/usr/bin/file", [binary])
        #expect(symbols.output.contains("stripped") && !symbols.output.contains("not stripped"), "\(symbols.output)")

        let found = try await Self.run(binary, ["--sandbox", "-c", "find user email=somebody@example.com"], environment: ["HOME": prefix.path])
        #expect(found.status == 0, "\(found.output)")
        #expect(found.output.contains("\"ok\":true") && found.output.contains("somebody@example.com"), "\(found.output)")

        let manual = try await Self.run("/usr/bin/man", ["-l", prefix.appendingPathComponent("share/man/man1/intercom-sh.1").path],
            environment: ["MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "100"])
        #expect(manual.status == 0, "\(manual.output)")
        for section in ["COMMAND LANGUAGE", "NDJSON PROTOCOL", "CONFIGURATION", "EXIT STATUS", "find user", "profile add", "130"] {
            #expect(manual.output.contains(section), "the man page lacks \(section)")
        }
        #expect(!manual.output.contains("warning"), "\(manual.output.prefix(2000))")

        let script = prefix.appendingPathComponent("share/bash-completion/completions/intercom-sh")
        let subcommands = try await BashCompletion.offers(script: script, words: [binary, ""])
        for subcommand in ["run", "replay", "sandbox", "profile"] { #expect(subcommands.contains(subcommand), "\(subcommands)") }
        let profileCommands = try await BashCompletion.offers(script: script, words: [binary, "profile", ""])
        for command in ["add", "list", "show", "remove"] { #expect(profileCommands.contains(command), "\(profileCommands)") }
    }

    @Test("scripts/package: a .deb of the same files, Depends on libc, libedit and SQLite only, lintian without errors or warnings")
    func debianPackage() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("intercom-sh-deb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        // The release build that scripts/test made (and the installation test checks) is packaged as it is.
        let release = RepositoryPaths.root.appendingPathComponent(".build-static/release/intercom-sh").path
        let reuse = FileManager.default.isExecutableFile(atPath: release) ? ["--binary", release] : []
        let package = try await Self.run(RepositoryPaths.root.appendingPathComponent("scripts/package").path, ["--output", output.path] + reuse)
        try #require(package.status == 0, "\(package.output)")
        let debs = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".deb") }
        try #require(debs.count == 1)
        #expect(debs[0].hasPrefix("intercom-sh_0.") && debs[0].hasSuffix(".deb"), "\(debs)")
        let deb = output.appendingPathComponent(debs[0]).path
        let control = try await Self.run("/usr/bin/dpkg-deb", ["-f", deb, "Depends"])
        let dependencies = Set(control.output.split(separator: ",").map {
            String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix { $0 != " " })
        })
        #expect(dependencies == ["libc6", "libedit2", "libsqlite3-0"], "\(control.output)")
        let contents = try await Self.run("/usr/bin/dpkg-deb", ["-c", deb])
        for file in [
            "./usr/bin/intercom-sh", "./usr/share/man/man1/intercom-sh.1.gz", "./usr/share/bash-completion/completions/intercom-sh",
            "./usr/share/zsh/site-functions/_intercom-sh", "./usr/share/fish/vendor_completions.d/intercom-sh.fish",
            "./usr/share/doc/intercom-sh/copyright",
        ] {
            #expect(contents.output.contains(file), "the package lacks \(file)")
        }
        // scripts/package fails when lintian reports an error; its report is in the output, warnings included.
        #expect(package.output.contains("with lintian"), "\(package.output)")
        let complaints = package.output.split(separator: "\n").filter { $0.hasPrefix("E: ") || $0.hasPrefix("W: ") }
        #expect(complaints.isEmpty, "\(complaints)")
    }
}
