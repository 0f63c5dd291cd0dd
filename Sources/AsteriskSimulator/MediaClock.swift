import Foundation
import Glibc
import Synchronization

/// The one media thread for all channels: every 5 ms it moves each phone's packets that are due
/// to the externalMedia channels in its bridge (phones send every 10 to 120 ms, on their own
/// clocks), and between ticks it `poll`s every UnicastRTP socket and hands return audio to the
/// phones at once.
final class MediaClock: Sendable {
    static let tick = Duration.milliseconds(5)
    private let switchboard: Switchboard
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(switchboard: Switchboard) {
        self.switchboard = switchboard
        let thread = Thread { [self] in run() }
        thread.name = "asterisk-sim-media"
        thread.start()
    }

    /// Stops the thread and waits for it.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }

    private func run() {
        let clock = ContinuousClock()
        var nextTick = clock.now
        var version = switchboard.topology.load(ordering: .acquiring)
        var routes = switchboard.mediaRoutes()
        func refresh() {
            let current = switchboard.topology.load(ordering: .acquiring)
            guard current != version else { return }
            version = current
            routes = switchboard.mediaRoutes()
        }
        while !stopped.load(ordering: .acquiring) {
            let now = clock.now
            refresh()
            if now >= nextTick {
                for route in routes.uplinks { forward(route, until: now) }
                nextTick += MediaClock.tick
                if nextTick < now { nextTick = now + MediaClock.tick }
            }
            var pollers = routes.downlinks.map { pollfd(fd: $0.endpoint.descriptor, events: Int16(POLLIN), revents: 0) }
            let wait = nextTick - clock.now
            let milliseconds = Int32(max(0, min(20, wait.components.attoseconds / 1_000_000_000_000_000 + wait.components.seconds * 1000)))
            if pollers.isEmpty {
                usleep(UInt32(milliseconds) * 1000)
                continue
            }
            guard poll(&pollers, nfds_t(pollers.count), milliseconds) > 0 else { continue }
            let arrival = clock.now
            let polled = routes.downlinks
            refresh()
            for (index, polledRoute) in polled.enumerated() where pollers[index].revents & Int16(POLLIN) != 0 {
                let listeners = routes.downlinks.first { $0.endpoint === polledRoute.endpoint }?.listeners ?? []
                for frame in polledRoute.endpoint.receive() {
                    for listener in listeners { listener.hear(frame.samples, rate: frame.rate, at: arrival) }
                }
            }
        }
        finished.signal()
    }

    private func forward(_ route: Switchboard.UplinkRoute, until now: ContinuousClock.Instant) {
        let packets = route.phone.uplink(until: now)
        guard !route.muted else { return }
        for packet in packets {
            for endpoint in route.endpoints {
                let skip = packet.timestampSkip * Int64(endpoint.format.rtpClockRate) / Int64(route.phone.sampleRate)
                endpoint.send(
                    Resampler.convert(packet.samples, from: route.phone.sampleRate, to: endpoint.format.sampleRate),
                    timestampSkip: Int(skip), newSource: packet.newSource)
            }
        }
    }
}
