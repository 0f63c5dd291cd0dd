import ARI
import Logging

/// Keeps this instance's heartbeat on its Asterisk and takes care of the callers of ura
/// instances that died there, so that they are not left in silence.
///
/// Why a heartbeat: when an instance's events socket goes away, Asterisk deactivates its
/// application but keeps the application object, and `GET /applications/{app}` keeps answering
/// 200, for as long as channels are still in it (`res/stasis/app.c`). A dead
/// instance's callers are exactly such channels, so the application's presence tells nothing.
/// Each instance therefore rewrites a global variable, `URA_HEARTBEAT_<app>`, every
/// ``Settings/interval``; a survivor that sees another application's heartbeat unchanged for
/// ``Settings/grace`` (by its own clock: the instances' clocks need not agree) continues that
/// application's callers in the dialplan, where the fallback after `Stasis()`/`StasisBroadcast()`
/// plays, hangs up its externalMedia channels and deletes its bridges.
///
/// Only applications that have written a heartbeat are watched: other ARI applications on the same
/// Asterisk, and ura versions without heartbeats, are never touched. Several survivors may clean
/// up after the same instance at once; whoever comes second finds the resources gone (404/409),
/// which is fine.
public struct PeerWatch: Sendable {
    /// How often to beat and look, and how long a silent heartbeat means death.
    public struct Settings: Sendable {
        public var interval: Duration
        public var grace: Duration

        public init(interval: Duration = .seconds(2), grace: Duration) {
            self.interval = interval
            self.grace = grace
        }
    }

    /// What one cleanup did.
    struct Cleanup: Sendable {
        var application: String
        var callersContinued: [ChannelID] = []
        var channelsHungUp = 0
        var bridgesDeleted = 0
    }

    /// Set on a gone instance's caller before it goes on in the dialplan (`asterisk/extensions.conf`).
    static let continuedVariable = "URA_CONTINUED"
    static let continuedValue = "instance_gone"

    let ari: ARIClient
    let application: String
    let namespace: ResourceNamespace
    let settings: Settings
    let logger: Logger
    /// Called after each cleanup (records, counters).
    let cleanedUp: @Sendable (Cleanup) async -> Void

    /// The global variable holding `application`'s heartbeat. Characters other than letters,
    /// digits, `-` and `_` become `_`, so an application name never reads as a dialplan function.
    static func heartbeatVariable(for application: String) -> String {
        "URA_HEARTBEAT_" + String(application.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    /// Beats and watches until cancelled.
    func run() async {
        var watched: [String: Sighting] = [:]
        var beat = 0
        while !Task.isCancelled {
            beat += 1
            await self.beat(beat)
            await look(&watched)
            try? await Task.sleep(for: settings.interval)
        }
    }

    /// Clears the heartbeat on a clean exit, so survivors do not wait for it to go stale.
    func retire() async {
        try? await ari.setGlobalVariable(Self.heartbeatVariable(for: application), to: "")
    }

    /// A value that changes every beat; survivors only compare it with what they saw before.
    private func beat(_ count: Int) async {
        do {
            try await ari.setGlobalVariable(Self.heartbeatVariable(for: application), to: "\(count)")
        } catch {
            logger.warning("cannot write this instance's heartbeat", metadata: ["error": "\(error)"])
        }
    }

    private struct Sighting {
        var value: String
        var since: ContinuousClock.Instant
        var declaredGone = false
    }

    private func look(_ watched: inout [String: Sighting]) async {
        let applications: [Application]
        do {
            applications = try await ari.listApplications()
        } catch {
            logger.debug("cannot list applications to watch the other instances", metadata: ["error": "\(error)"])
            return
        }
        let now = ContinuousClock.now
        watched = watched.filter { name, _ in applications.contains { $0.name == name } }
        for peer in applications where peer.name != application {
            guard let value = try? await ari.globalVariable(Self.heartbeatVariable(for: peer.name)), !value.isEmpty else {
                watched[peer.name] = nil
                continue
            }
            guard var sighting = watched[peer.name], sighting.value == value else {
                if watched[peer.name]?.declaredGone == true {
                    logger.info("instance is back", metadata: ["peer_app": "\(peer.name)"])
                }
                watched[peer.name] = Sighting(value: value, since: now)
                continue
            }
            guard now - sighting.since >= settings.grace else { continue }
            if !sighting.declaredGone {
                sighting.declaredGone = true
                watched[peer.name] = sighting
                logger.warning("instance is gone: continuing its callers in the dialplan", metadata: [
                    "peer_app": "\(peer.name)", "silent_s": "\((now - sighting.since).components.seconds)",
                ])
            }
            // Every look while it stays gone: a caller may still have been on its way in.
            await cleanUp(peer)
        }
    }

    private func cleanUp(_ peer: Application) async {
        var cleanup = Cleanup(application: peer.name)
        var bridges = Set(peer.bridgeIDs.filter(isTheirs))
        var channels = peer.channelIDs
        // Its bridges, whether or not Asterisk still lists them under the application.
        if let listed = try? await ari.listBridges() {
            for bridge in listed where isTheirs(bridge.id) && bridge.name == peer.name {
                bridges.insert(bridge.id)
                channels += bridge.channels
            }
        }
        var seen = Set<ChannelID>()
        for channel in channels where seen.insert(channel).inserted {
            if ResourceNames.isURA(channel.rawValue) {
                guard !namespace.isOurs(channel.rawValue) else { continue }
                if await tolerating({ try await ari.hangup(channel) }) { cleanup.channelsHungUp += 1 }
            } else {
                // The dialplan after Stasis() tells this apart from ura's ordinary continues.
                _ = await tolerating { try await ari.setVariable(Self.continuedVariable, to: Self.continuedValue, of: channel) }
                if await tolerating({ try await ari.continueInDialplan(channel) }) { cleanup.callersContinued.append(channel) }
            }
        }
        for bridge in bridges where await tolerating({ try await ari.deleteBridge(bridge) }) {
            cleanup.bridgesDeleted += 1
        }
        guard !cleanup.callersContinued.isEmpty || cleanup.channelsHungUp > 0 || cleanup.bridgesDeleted > 0 else { return }
        logger.warning("cleaned up after a gone instance", metadata: [
            "peer_app": "\(peer.name)", "callers_continued": "\(cleanup.callersContinued.count)",
            "channels_hung_up": "\(cleanup.channelsHungUp)", "bridges_deleted": "\(cleanup.bridgesDeleted)",
        ])
        await cleanedUp(cleanup)
    }

    /// Another instance's resource: made by ura, not in this instance's namespace.
    private func isTheirs(_ bridge: BridgeID) -> Bool {
        ResourceNames.isURA(bridge.rawValue) && !namespace.isOurs(bridge.rawValue)
    }

    /// Runs one ARI operation; false when the resource was already gone or left (another
    /// survivor, or the caller, got there first) or the operation failed.
    private func tolerating(_ operation: () async throws -> Void) async -> Bool {
        do {
            try await operation()
            return true
        } catch let error as ARIError where [404, 409, 412, 422].contains(error.status ?? 0) {
            return false
        } catch {
            logger.warning("cleanup after a gone instance: an operation failed; the next look retries", metadata: ["error": "\(error)"])
            return false
        }
    }
}
