// sim::SharedSnapshots (shared_snapshots.hh): snapshots of equal content at the same id made by
// several nodes are one object. The unit (find / remember, weak entries), and a real run where
// every node snapshots every few seconds (scenarios/claim-broker-restarts-from-local-metadata.json,
// metadata.log.max.record.bytes.between.snapshots = 1500): nodes that hold a snapshot with the
// same id hold the same SnapshotPtr, and its records are a faithful image.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "raft/metadata/image.hh"
#include "raft/metadata/record_codec.hh"
#include "raft/metadata/replay_record.hh"
#include "raft/metadata/snapshot_records.hh"
#include "raft/raft_client.hh"
#include "raft/snapshot.hh"
#include "sim/run_result.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/shared_snapshots.hh"
#include "sim/simulation.hh"

namespace {

namespace md = raft::metadata;
using raft::Epoch;
using raft::Instant;
using raft::Offset;
using raft::OffsetAndEpoch;
using sim::SharedSnapshots;

SharedSnapshots::Key key(std::int64_t offset, std::int32_t epoch, std::int64_t time_ms,
                         std::uint64_t fingerprint) {
  return SharedSnapshots::Key{OffsetAndEpoch{Offset(offset), Epoch(epoch)},
                              Instant::from_ms(time_ms), fingerprint};
}

raft::SnapshotPtr snapshot_at(std::int64_t offset, std::int32_t epoch, std::int64_t time_ms) {
  return raft::make_snapshot(OffsetAndEpoch{Offset(offset), Epoch(epoch)},
                             Instant::from_ms(time_ms), {"x"});
}

}  // namespace

TEST_CASE("shared snapshots: find returns a live snapshot remembered under the same key only") {
  SharedSnapshots shared;
  const SharedSnapshots::Key k = key(120, 3, 4500, 0xABCDEF);
  CHECK(shared.find(k) == nullptr);

  raft::SnapshotPtr s = snapshot_at(120, 3, 4500);
  shared.remember(k, s);
  CHECK(shared.find(k).get() == s.get());
  CHECK(shared.find(key(120, 3, 4500, 0xABCDEF)).get() == s.get());  // an equal key

  // Any field of the key differs: not the same content.
  CHECK(shared.find(key(120, 3, 4500, 0xABCDEE)) == nullptr);  // fingerprint
  CHECK(shared.find(key(120, 3, 4501, 0xABCDEF)) == nullptr);  // last contained log time
  CHECK(shared.find(key(121, 3, 4500, 0xABCDEF)) == nullptr);  // end offset
  CHECK(shared.find(key(120, 4, 4500, 0xABCDEF)) == nullptr);  // epoch

  // A second key, then the reuse counter.
  raft::SnapshotPtr t = snapshot_at(200, 3, 6000);
  shared.remember(key(200, 3, 6000, 7), t);
  CHECK(shared.find(key(200, 3, 6000, 7)).get() == t.get());
  CHECK(shared.find(k).get() == s.get());
  CHECK(shared.reused() == 0);
  shared.count_reuse();
  shared.count_reuse();
  CHECK(shared.reused() == 2);

  // Entries are weak: once nobody holds the snapshot, it is gone.
  raft::SnapshotPtr second_holder = s;
  s.reset();
  CHECK(shared.find(k).get() == second_holder.get());  // still held
  second_holder.reset();
  CHECK(shared.find(k) == nullptr);
  CHECK(shared.find(key(200, 3, 6000, 7)).get() == t.get());  // the other entry is unaffected

  // A key whose snapshot expired can be remembered again with a new snapshot.
  raft::SnapshotPtr again = snapshot_at(120, 3, 4500);
  shared.remember(k, again);
  CHECK(shared.find(k).get() == again.get());
  t.reset();
  CHECK(shared.find(key(200, 3, 6000, 7)) == nullptr);
}

TEST_CASE("shared snapshots: nodes that snapshot the same state at the same id share one object") {
  sim::Scenario scenario = sim::load_scenario_file(
      std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/claim-broker-restarts-from-local-metadata.json");
  sim::Simulation simulation(std::move(scenario), 1);
  const sim::RunResult result = simulation.run();
  CHECK(result.outcome == sim::Outcome::Success);

  // Every snapshot each running node holds, by id: the nodes and the distinct objects.
  struct Holders {
    std::set<std::int32_t> nodes;
    std::set<bool> roles;  // is_controller of each holder
    std::set<const raft::Snapshot*> objects;
    raft::SnapshotPtr any;
  };
  std::map<OffsetAndEpoch, Holders> by_id;
  std::map<OffsetAndEpoch, std::set<std::int32_t>> latest_by_id;
  int running = 0;
  for (const auto& node : simulation.nodes()) {
    const raft::RaftClient* client = node->client();
    if (client == nullptr) continue;
    ++running;
    for (const raft::SnapshotPtr& s : client->log().snapshots()) {
      Holders& h = by_id[s->id];
      h.nodes.insert(node->id().value());
      h.roles.insert(node->controller() != nullptr);
      h.objects.insert(s.get());
      h.any = s;
      // The node's disk holds the very same object.
      bool on_disk = false;
      for (const raft::SnapshotPtr& d : node->disk().snapshots()) on_disk |= d.get() == s.get();
      CHECK(on_disk);
    }
    if (const raft::SnapshotPtr latest = client->log().latest_snapshot()) {
      latest_by_id[latest->id].insert(node->id().value());
    }
  }
  CHECK(running == 6);  // 3 controllers and 3 brokers, all running at the end
  REQUIRE(!by_id.empty());

  int shared_ids = 0;
  int shared_across_roles = 0;  // held by a controller and a broker
  for (const auto& [id, holders] : by_id) {
    CAPTURE(id.offset.value());
    CAPTURE(id.epoch.value());
    // One object per id, however many nodes hold it: they all snapshotted the same committed
    // state (no node downloads a snapshot in this scenario).
    CHECK(holders.objects.size() == 1);
    if (holders.nodes.size() < 2) continue;
    ++shared_ids;
    if (holders.roles.size() == 2) ++shared_across_roles;

    // The shared snapshot's records rebuild an image: decoded once through the memo or
    // decoded again record by record, the same content; and writing that image out gives the
    // snapshot's records back (they are an image's canonical records).
    const raft::Snapshot& s = *holders.any;
    const Offset last_contained = s.id.offset - 1;
    md::MetadataImage memo_image(md::MetadataImage::Options{true});
    for (const md::ReplayRecord& r : md::replay_records(s)) memo_image.replay(r, last_contained);
    md::MetadataImage fresh_image;
    for (const std::string& bytes : s.records) {
      fresh_image.replay(md::decode_record(bytes), last_contained);
    }
    CHECK(memo_image.fingerprint() == fresh_image.fingerprint());
    CHECK(memo_image == fresh_image);
    CHECK(memo_image.partition_count() > 0);
    CHECK(md::encode_snapshot_records(fresh_image) == s.records);
  }
  MESSAGE("snapshot ids held: " << by_id.size() << ", held by 2+ nodes: " << shared_ids
                                << ", by a controller and a broker: " << shared_across_roles);
  CHECK(shared_ids >= 1);
  // A controller's and a broker's snapshot of the same state are the same object too.
  CHECK(shared_across_roles >= 1);

  // Among the latest snapshots too, at least one id is held by two or more nodes.
  bool latest_shared = false;
  for (const auto& [id, nodes] : latest_by_id) latest_shared |= nodes.size() >= 2;
  CHECK(latest_shared);
}
