import AsteriskSimulator
import Foundation

// Runs ura's simulated Asterisk as a process of its own, so a real `ura serve` can be pointed at
// it (scripts/apifuzz). Prints the settings ura needs, as `.env` lines, then serves until killed.
//
//   AsteriskSimulatorServer [APP]      APP: the Stasis application of its dialplan (default ura)

let app = CommandLine.arguments.dropFirst().first ?? "ura"
let simulator: SimulatedAsterisk
do {
    simulator = try await SimulatedAsterisk(configuration: SimulatorConfiguration(dialplanApp: app))
} catch {
    FileHandle.standardError.write(Data("AsteriskSimulatorServer: cannot start: \(error)\n".utf8))
    exit(1)
}
// Written unbuffered, so a script reading the pipe sees the settings at once.
let settings = """
    ARI_URL=http://127.0.0.1:\(simulator.port)
    ARI_USERNAME=\(simulator.username)
    ARI_PASSWORD=\(simulator.password)
    ARI_APP=\(app)

    """
FileHandle.standardOutput.write(Data(settings.utf8))
// SIGTERM's default action ends the process; the simulator keeps nothing that needs saving.
while true { sleep(3600) }
