// `kraftsim inspect FILE [--seed N] [--at MS] [--node ID]... [--log] [--quorum] [--image]`:
// runs the scenario to simulated time MS (default: to its end, as `kraftsim run` does) and prints
// what a Kafka operator would look at then:
//   --quorum  the quorum as kafka-metadata-quorum describe --status and --replication show it
//             (sim/inspect/quorum_status.hh);
//   --log     each node's __cluster_metadata log and snapshots, kafka-dump-log style
//             (sim/inspect/metadata_log_dump.hh);
//   --image   each node's metadata image (sim/inspect/image_dump.hh).
// No section flag: all three. --log and --image are printed for each --node (repeatable, in the
// order given, duplicates once); without --node, for the current leader (the process leading the
// highest epoch) and the first node with the broker role, or node 0 if there is neither.
// A first line says which scenario, seed and time are shown and how the run got there.
//
// Bad values are UsageErrors (exit 2) naming the flag, the value and what was expected:
//   --node: got '9', expected a node id in 0..5
//   --at: got '60000', expected a time in ms in 0..50000 (the scenario stops at 50000 ms)
// Exit code 0 otherwise, whatever the run's outcome (which the first line reports).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kraftsim::cli {

// `args`: the arguments after "inspect". Returns the exit code (cli.hh).
int inspect_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace kraftsim::cli
