import Foundation

/// The RTPAUDIOQOS* channel variables PJSIP sets when a call ends, shaped like the captures'
/// (`ssrc=…;themssrc=…;lp=…;rxjitter=…`), filled from what the synthetic phone sent.
enum RTPQualityReport {
    static func variables(_ statistics: ImpairmentStatistics) -> [(String, String)] {
        let jitter = Double(statistics.maximumJitter.components.attoseconds) * 1e-18 + Double(statistics.maximumJitter.components.seconds)
        func field(_ value: Double) -> String { String(format: "%010.6f", value) }
        let lossPercent = statistics.framesSent > 0 ? Double(statistics.framesLost) / Double(statistics.framesSent) * 100 : 0
        let rxcount = statistics.framesSent - statistics.framesLost + statistics.framesDuplicated
        let ssrc = UInt32.random(in: 0...UInt32.max), theirs = UInt32.random(in: 0...UInt32.max)
        return [
            ("RTPAUDIOQOS", "ssrc=\(ssrc);themssrc=\(theirs);lp=\(statistics.framesLost);rxjitter=\(String(format: "%.6f", jitter));"
                + "rxcount=\(rxcount);txjitter=0.000000;txcount=0;rlp=0;rtt=0.000000;rxmes=0.000000;txmes=0.000000"),
            ("RTPAUDIOQOSJITTER", "minrxjitter=\(field(0));maxrxjitter=\(field(jitter));avgrxjitter=\(field(jitter / 2));stdevrxjitter=\(field(0));"
                + "mintxjitter=\(field(0));maxtxjitter=\(field(0));avgtxjitter=\(field(0));stdevtxjitter=\(field(0));"),
            ("RTPAUDIOQOSLOSS", "  minrxlost=\(field(lossPercent));  maxrxlost=\(field(lossPercent));  avgrxlost=\(field(lossPercent));"
                + "  stdevrxlost=\(field(0));  mintxlost=\(field(0));  maxtxlost=\(field(0));  avgtxlost=\(field(0));  stdevtxlost=\(field(0));"),
            ("RTPAUDIOQOSRTT", "     minrtt=\(field(0));     maxrtt=\(field(0));     avgrtt=\(field(0));     stdevrtt=\(field(0));"),
            ("RTPAUDIOQOSMES", "   minrxmes=\(field(0));   maxrxmes=\(field(0));   avgrxmes=\(field(0));   stdevrxmes=\(field(0));"
                + "   mintxmes=\(field(0));   maxtxmes=\(field(0));   avgtxmes=\(field(0));   stdevtxmes=\(field(0));"),
        ]
    }
}
