import Flows
import Logging
import Settings

/// Reloads the flows of `FLOWS_DIR` (on SIGHUP, through ``ReloadOnHangup``), and with them the destinations the transfer
/// allow-list takes from flows. A flow that fails to load keeps its previous version and the
/// reason is logged; calls in progress keep the flow they started with.
struct FlowReloader: Sendable {
    let flows: FlowLibrary
    let transfers: TransferAllowList
    /// Destinations the configuration names, which a reload must not drop.
    let configured: Set<TransferDestination>
    let logger: Logger

    /// One reload: flows first, then the allow-list's named destinations from the flows now loaded.
    func reload() {
        let report = flows.reload()
        transfers.replaceNamed(configured.union(flows.transferDestinations))
        for failure in report.failures {
            let first = failure.problems.first.map { "\(failure.file):\($0)" } ?? failure.file
            logger.error("flow not reloaded; its previous version stays", metadata: [
                "problem": "\(first)", "problems": "\(failure.problems.count)",
            ])
        }
        if !report.removed.isEmpty { logger.warning("flows removed: their files are gone", metadata: ["flows": "\(report.removed)"]) }
        logger.info("flows reloaded", metadata: ["flows": "\(report.loaded)", "failed": "\(report.failures.count)"])
    }
}
