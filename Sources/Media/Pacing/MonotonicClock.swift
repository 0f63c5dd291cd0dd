import CMediaSockets

/// CLOCK_MONOTONIC in nanoseconds: the one time base of the media plane.
///
/// Plain integers keep the pacer's arithmetic exact (no floating point drift over hours) and
/// let tests drive the same code with made-up instants.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot); never jumps with wall-clock changes.
    public static func now() -> UInt64 { cms_monotonic_now_ns() }

    /// Sleeps until ``now()`` reaches `deadline` (absolute, so sleep overhead does not accumulate).
    public static func sleep(until deadline: UInt64) { cms_sleep_until_ns(deadline) }
}
