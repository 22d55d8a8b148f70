// Metadata records and ids as `kafka-dump-log --cluster-metadata-decoder` prints them (shared by
// the log dump and the image dump of kraftsim inspect): a record as
//   {"type":"TOPIC_RECORD","version":0,"data":{"name":"orders","topicId":"..."}}
// with Kafka's camelCase field names, a LeaderChange control record as
//   {"version":0,"leaderId":1,"voters":[{"voterId":0},...],"grantingVoters":[...]}
// and a Uuid as Kafka's Uuid.toString (22 characters of URL-safe base64, no padding).
#pragma once

#include <string>

#include "raft/metadata/records.hh"
#include "raft/record_batch.hh"

namespace sim::inspect {

// Kafka's Uuid.toString: hi then lo, big endian, base64url without padding (22 characters).
std::string format_uuid(const raft::metadata::Uuid& id);

// Kafka's MetadataRecordType name of the record: "REGISTER_BROKER_RECORD" for a
// RegisterBrokerRecord (the class name in upper snake case).
std::string record_type_name(const raft::metadata::MetadataRecord& record);

// The record as one line of JSON: type, encoding version (record_codec.hh's kRecordVersion) and
// every field of the record under "data", in the order of records.hh.
std::string record_json(const raft::metadata::MetadataRecord& record);

// A LeaderChange control record as one line of JSON.
std::string leader_change_json(const raft::LeaderChangeMessage& message);

}  // namespace sim::inspect
