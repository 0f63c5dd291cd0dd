/// Which audio goes where, read by the media thread once per tick.
extension Switchboard {
    /// One phone's uplink: where its audio goes this tick.
    struct UplinkRoute {
        var phone: SyntheticCaller
        /// The externalMedia channels sharing its bridge; empty when it is not bridged with one.
        var endpoints: [UnicastRTPEndpoint]
        /// `mute?direction=in`: its audio goes nowhere.
        var muted: Bool
    }

    /// One externalMedia channel's return path: who hears what it receives.
    struct DownlinkRoute {
        var endpoint: UnicastRTPEndpoint
        var listeners: [SyntheticCaller]
    }

    func mediaRoutes() -> (uplinks: [UplinkRoute], downlinks: [DownlinkRoute]) {
        state.withLock { s in
            var uplinks: [UplinkRoute] = []
            var downlinks: [DownlinkRoute] = []
            for id in s.channelOrder {
                guard let channel = s.channels[id] else { continue }
                let peers = channel.bridgeID.flatMap { s.bridges[$0] }?.channels.filter { $0 != id }.compactMap { s.channels[$0] } ?? []
                switch channel.kind {
                case .phone(let phone):
                    guard channel.state == "Up" else { continue }
                    let endpoints = peers.compactMap { peer -> UnicastRTPEndpoint? in
                        if case .unicastRTP(let endpoint) = peer.kind, peer.state == "Up" { endpoint } else { nil }
                    }
                    uplinks.append(UplinkRoute(phone: phone, endpoints: endpoints, muted: channel.mutedIn))
                case .unicastRTP(let endpoint):
                    let listeners = peers.compactMap { peer -> SyntheticCaller? in
                        if case .phone(let phone) = peer.kind, peer.state == "Up" { phone } else { nil }
                    }
                    downlinks.append(DownlinkRoute(endpoint: endpoint, listeners: listeners))
                }
            }
            return (uplinks, downlinks)
        }
    }
}
