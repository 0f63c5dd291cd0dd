import Foundation
import Settings
import Testing

/// The drop-in asterisk/ configuration: every file parses, and the files agree with each
/// other and with ura's defaults.
@Suite struct AsteriskConfigTests {
    @Test(arguments: ["pjsip.conf", "extensions.conf", "ari.conf", "http.conf", "rtp.conf", "modules.conf", "logger.conf"])
    func fileParses(name: String) throws {
        let file = try Repository.asteriskConfig(name)
        #expect(!file.sections.isEmpty)
    }

    @Test func noSectionIsATemplateByAccident() throws {
        // `[directories](!)` in asterisk.conf silently turns the section off; in files without
        // templates by design, a (!) is such a mistake.
        for name in ["ari.conf", "http.conf", "rtp.conf", "modules.conf", "logger.conf", "extensions.conf"] {
            let file = try Repository.asteriskConfig(name)
            #expect(file.sections.allSatisfy { !$0.isTemplate }, "\(name) has a template section")
        }
    }

    @Test func ariUserIsUrasDefaultUserWithTheExamplePassword() throws {
        let ari = try Repository.asteriskConfig("ari.conf")
        let general = try #require(ari.sections(named: "general").first)
        #expect(ari.value("enabled", in: general) == "yes")
        let defaults = try ShippedSettings.defaults()
        let users = ari.sections(ofType: "user")
        let user = try #require(users.first { $0.name == defaults.ari.username }, "ari.conf has no user \(defaults.ari.username)")
        #expect(ari.value("password_format", in: user) == "plain")
        #expect(ari.value("read_only", in: user) != "yes")
        let password = try #require(ari.value("password", in: user))
        #expect(password == (try ShippedSettings.envExample()["ARI_PASSWORD"]))
    }

    @Test func httpServerListensWhereTheExampleAriURLPoints() throws {
        let http = try Repository.asteriskConfig("http.conf")
        let general = try #require(http.sections(named: "general").first)
        #expect(http.value("enabled", in: general) == "yes")
        let example = try Configuration.load(environment: ShippedSettings.envExample())
        let port = try #require(http.value("bindport", in: general).flatMap(Int.init))
        #expect(port == example.ari.urls[0].port)
        let bindAddress = http.value("bindaddr", in: general) ?? "0.0.0.0"
        #expect(["0.0.0.0", "::", example.ari.urls[0].host].contains(bindAddress))
    }

    @Test func rtpRangeStaysClearOfUrasPorts() throws {
        let rtp = try Repository.asteriskConfig("rtp.conf")
        let general = try #require(rtp.sections(named: "general").first)
        let start = try #require(rtp.value("rtpstart", in: general).flatMap(Int.init))
        let end = try #require(rtp.value("rtpend", in: general).flatMap(Int.init))
        #expect(start < end)
        let asteriskPorts = start...end
        #expect(!asteriskPorts.overlaps(try ShippedSettings.defaults().media.ports))
        #expect(!asteriskPorts.overlaps(try Configuration.load(environment: ShippedSettings.envExample()).media.ports))
    }

    @Test func modulesLoadWhatUraNeeds() throws {
        let modules = try Repository.asteriskConfig("modules.conf")
        let section = try #require(modules.sections(named: "modules").first)
        let loaded = Set(["load", "require", "preload", "preload-require"].flatMap { modules.values($0, in: section) })
        let skipped = Set(modules.values("noload", in: section))
        for module in ["res_ari.so", "res_stasis.so", "app_stasis.so", "chan_rtp.so", "res_http_websocket.so", "chan_pjsip.so"] {
            #expect(loaded.contains(module), "modules.conf does not load \(module)")
        }
        #expect(loaded.isDisjoint(with: skipped))
    }

    @Test func phonesAuthenticateAndLandInAnExistingContext() throws {
        let pjsip = try Repository.asteriskConfig("pjsip.conf")
        let dialplan = try Dialplan(Repository.asteriskConfig("extensions.conf"))
        let endpoints = pjsip.sections(ofType: "endpoint")
        #expect(endpoints.count >= 2)
        for endpoint in endpoints {
            let context = try #require(pjsip.value("context", in: endpoint))
            #expect(dialplan.contexts.contains(context), "endpoint \(endpoint.name): context \(context) is not in extensions.conf")
            #expect(pjsip.value("direct_media", in: endpoint) == "no", "endpoint \(endpoint.name) lets media bypass Asterisk")
            let codecs = pjsip.values("allow", in: endpoint).flatMap { $0.split(separator: ",").map(String.init) }
            #expect(codecs.contains("ulaw"), "endpoint \(endpoint.name) does not offer ulaw")

            let authName = try #require(pjsip.value("auth", in: endpoint), "endpoint \(endpoint.name) has no auth")
            let auth = try #require(pjsip.sections(ofType: "auth").first { $0.name == authName }, "no auth section \(authName)")
            #expect(pjsip.value("auth_type", in: auth) == "userpass")
            #expect(!(pjsip.value("password", in: auth) ?? "").isEmpty)
            // Asterisk identifies by section name, so the user a phone logs in with must be it.
            #expect(pjsip.value("username", in: auth) == endpoint.name)

            let aorNames = pjsip.values("aors", in: endpoint).flatMap { $0.split(separator: ",").map(String.init) }
            #expect(!aorNames.isEmpty, "endpoint \(endpoint.name) has no aors")
            for aorName in aorNames {
                let aor = try #require(pjsip.sections(ofType: "aor").first { $0.name == aorName }, "no aor section \(aorName)")
                #expect((pjsip.value("max_contacts", in: aor).flatMap(Int.init) ?? 0) >= 1)
            }
        }
    }

    @Test func sipTransportIsUDPOnPort5060() throws {
        let pjsip = try Repository.asteriskConfig("pjsip.conf")
        let transports = pjsip.sections(ofType: "transport")
        let udp = try #require(transports.first { pjsip.value("protocol", in: $0) == "udp" })
        #expect(pjsip.value("bind", in: udp)?.hasSuffix(":5060") == true)
    }

    @Test func extensionsHandCallsToUrasAppAndApologiseWhenItIsAway() throws {
        let dialplan = try Dialplan(Repository.asteriskConfig("extensions.conf"))
        let app = try ShippedSettings.defaults().ari.app
        #expect(try Configuration.load(environment: ShippedSettings.envExample()).ari.app == app)
        let stasisSteps = dialplan.steps.filter { $0.application == "Stasis" }
        #expect(stasisSteps.contains { $0.extensionName == "100" && $0.argumentList == [app] })
        #expect(stasisSteps.contains { $0.extensionName == "101" && $0.argumentList.dropFirst().contains("bot=echo") })
        for stasis in stasisSteps {
            #expect(stasis.argumentList.first == app, "line \(stasis.line) sends calls to another app")
            let next = try #require(dialplan.step(context: stasis.context, extensionName: stasis.extensionName, priority: stasis.priority + 1))

            // Stasis failed: ura not connected. The caller is answered, hears a message, and is hung up.
            let failed = try dialplan.path(from: next, variables: ["STASISSTATUS": "FAILED"]).map(\.application)
            let answer = try #require(failed.firstIndex(of: "Answer"), "line \(stasis.line): no Answer when Stasis fails")
            let playback = try #require(failed.firstIndex(of: "Playback"), "line \(stasis.line): no apology when Stasis fails")
            #expect(answer < playback)
            #expect(failed.last == "Hangup")

            // ura let the call continue: it still ends cleanly.
            let continued = try dialplan.path(from: next, variables: ["STASISSTATUS": "SUCCESS", "URA_CONTINUED": ""]).map(\.application)
            #expect(continued.last == "Hangup")
            #expect(!continued.contains("Stasis"))

            // Another instance continued a dead instance's caller: the apology plays.
            let orphaned = try dialplan.path(from: next, variables: ["STASISSTATUS": "SUCCESS", "URA_CONTINUED": "instance_gone"])
                .map(\.application)
            #expect(orphaned.contains("Playback") && orphaned.last == "Hangup", "line \(stasis.line): no apology for a gone instance's caller")
        }
    }
}
