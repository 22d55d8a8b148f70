// Encoder and decoder of metadata records; the layout is documented in record_codec.hh.
//
// Each record's field order is written once, in a `fields(io, record)` template instantiated
// with a Writer (encoding, record is const) and with a Reader (decoding, record is mutable), so
// that the two directions cannot disagree.
#include "raft/metadata/record_codec.hh"

#include <concepts>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace raft::metadata {

DecodeError::DecodeError(const std::string& problem, std::size_t offset)
    : std::runtime_error("metadata record decode error: " + problem + " (at byte offset " +
                         std::to_string(offset) + ")"),
      offset_(offset) {}

namespace {

constexpr std::uint32_t zigzag32(std::int32_t v) {
  return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}
constexpr std::uint64_t zigzag64(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
constexpr std::int32_t unzigzag32(std::uint32_t u) {
  return static_cast<std::int32_t>((u >> 1) ^ (0U - (u & 1U)));
}
constexpr std::int64_t unzigzag64(std::uint64_t u) {
  return static_cast<std::int64_t>((u >> 1) ^ (0ULL - (u & 1ULL)));
}

// ---- encoding -------------------------------------------------------------------------------

class Writer {
 public:
  [[nodiscard]] std::string take() { return std::move(out_); }

  void uvarint(std::uint64_t v) {
    while (v >= 0x80U) {
      out_.push_back(static_cast<char>((v & 0x7FU) | 0x80U));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void i8(const char*, const std::int8_t& v) { out_.push_back(static_cast<char>(v)); }
  void boolean(const char*, const bool& v) { out_.push_back(v ? '\1' : '\0'); }
  void i16(const char*, const std::int16_t& v) { big_endian(static_cast<std::uint16_t>(v), 2); }
  void u16(const char*, const std::uint16_t& v) { big_endian(v, 2); }
  void i32(const char*, const std::int32_t& v) { uvarint(zigzag32(v)); }
  void i64(const char*, const std::int64_t& v) { uvarint(zigzag64(v)); }
  void uuid(const char*, const Uuid& v) {
    big_endian(v.hi, 8);
    big_endian(v.lo, 8);
  }
  void str(const char*, const std::string& v) {
    uvarint(static_cast<std::uint64_t>(v.size()) + 1);
    out_.append(v);
  }
  void opt_str(const char* field, const std::optional<std::string>& v) {
    if (v) {
      str(field, *v);
    } else {
      uvarint(0);
    }
  }
  void i32s(const char* field, const std::vector<std::int32_t>& v) {
    array(field, v, [](Writer& w, const std::int32_t& e) { w.i32("element", e); });
  }
  void opt_i32s(const char* field, const std::optional<std::vector<std::int32_t>>& v) {
    if (v) {
      i32s(field, *v);
    } else {
      uvarint(0);
    }
  }
  // int8 where -1 means absent; a present value must be >= 0.
  void opt_i8(const char* field, const std::optional<std::int8_t>& v) {
    if (v && *v < 0) {
      throw std::invalid_argument(std::string("metadata record encode: ") + field +
                                  " must be >= 0 when present, got " + std::to_string(*v));
    }
    out_.push_back(static_cast<char>(v ? *v : std::int8_t{-1}));
  }
  template <typename T, typename Each>
  void array(const char*, const std::vector<T>& v, Each each) {
    uvarint(static_cast<std::uint64_t>(v.size()) + 1);
    for (const T& e : v) each(*this, e);
  }

 private:
  void big_endian(std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) {
      out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFU));
    }
  }

  std::string out_;
};

// ---- decoding -------------------------------------------------------------------------------

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  void set_record(std::string_view name) { record_ = std::string(name) + "."; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  [[nodiscard]] std::size_t remaining() const { return data_.size() - pos_; }

  [[noreturn]] void fail(const std::string& problem, std::size_t offset) const {
    throw DecodeError(problem, offset);
  }

  // Unsigned varint of at most `max_bytes` bytes whose value must not exceed `max_value`.
  std::uint64_t uvarint(const char* field, int max_bytes, std::uint64_t max_value) {
    const std::size_t start = pos_;
    std::uint64_t value = 0;
    for (int i = 0; i < max_bytes; ++i) {
      const std::uint8_t b = byte(field);
      const int shift = 7 * i;
      const std::uint64_t bits = b & 0x7FU;
      if (bits > (std::numeric_limits<std::uint64_t>::max() >> shift)) {
        fail("varint overflows 64 bits in " + name(field), start);
      }
      value |= bits << shift;
      if ((b & 0x80U) == 0) {
        if (value > max_value) {
          fail("varint value " + std::to_string(value) + " out of range in " + name(field), start);
        }
        return value;
      }
    }
    fail("varint longer than " + std::to_string(max_bytes) + " bytes in " + name(field), start);
  }

  void i8(const char* field, std::int8_t& v) { v = static_cast<std::int8_t>(byte(field)); }
  void boolean(const char* field, bool& v) {
    const std::size_t start = pos_;
    const std::uint8_t b = byte(field);
    if (b > 1) fail("bool " + name(field) + " is " + std::to_string(b) + ", not 0 or 1", start);
    v = b == 1;
  }
  void i16(const char* field, std::int16_t& v) {
    v = static_cast<std::int16_t>(big_endian(field, 2));
  }
  void u16(const char* field, std::uint16_t& v) {
    v = static_cast<std::uint16_t>(big_endian(field, 2));
  }
  void i32(const char* field, std::int32_t& v) {
    v = unzigzag32(static_cast<std::uint32_t>(uvarint(field, 5, 0xFFFFFFFFU)));
  }
  void i64(const char* field, std::int64_t& v) {
    v = unzigzag64(uvarint(field, 10, std::numeric_limits<std::uint64_t>::max()));
  }
  void uuid(const char* field, Uuid& v) {
    v.hi = big_endian(field, 8);
    v.lo = big_endian(field, 8);
  }
  void str(const char* field, std::string& v) {
    std::optional<std::string> s;
    opt_str(field, s);
    if (!s) fail("null string in non-nullable " + name(field), pos_ - 1);
    v = std::move(*s);
  }
  void opt_str(const char* field, std::optional<std::string>& v) {
    const std::size_t n = length(field);
    if (n == 0) {
      v.reset();
      return;
    }
    need(n - 1, field);
    v = std::string(data_.substr(pos_, n - 1));
    pos_ += n - 1;
  }
  void i32s(const char* field, std::vector<std::int32_t>& v) {
    array(field, v, [field](Reader& r, std::int32_t& e) { r.i32(field, e); });
  }
  void opt_i32s(const char* field, std::optional<std::vector<std::int32_t>>& v) {
    if (peek_null(field)) {
      v.reset();
      return;
    }
    v.emplace();
    i32s(field, *v);
  }
  void opt_i8(const char* field, std::optional<std::int8_t>& v) {
    const std::size_t start = pos_;
    std::int8_t raw = 0;
    i8(field, raw);
    if (raw < -1) fail(name(field) + " is " + std::to_string(raw) + ", not -1 or >= 0", start);
    v = raw == -1 ? std::nullopt : std::optional<std::int8_t>(raw);
  }
  template <typename T, typename Each>
  void array(const char* field, std::vector<T>& v, Each each) {
    const std::size_t start = pos_;
    const std::size_t n = length(field);
    if (n == 0) fail("null array in non-nullable " + name(field), start);
    // Every element takes at least one byte: a larger count cannot be valid.
    if (n - 1 > remaining()) {
      fail("truncated input: " + name(field) + " has " + std::to_string(n - 1) +
               " elements but only " + std::to_string(remaining()) + " bytes remain",
           start);
    }
    v.clear();
    for (std::size_t i = 0; i + 1 < n; ++i) {
      T e{};
      each(*this, e);
      v.push_back(std::move(e));
    }
  }

 private:
  [[nodiscard]] std::string name(const char* field) const { return record_ + field; }

  void need(std::size_t n, const char* field) const {
    if (remaining() < n) {
      fail("truncated input reading " + name(field) + ": need " + std::to_string(n) +
               " bytes, " + std::to_string(remaining()) + " remain",
           pos_);
    }
  }
  std::uint8_t byte(const char* field) {
    need(1, field);
    return static_cast<std::uint8_t>(data_[pos_++]);
  }
  std::uint64_t big_endian(const char* field, int bytes) {
    need(static_cast<std::size_t>(bytes), field);
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<std::uint8_t>(data_[pos_++]);
    return v;
  }
  // A compact length prefix (value = length + 1, 0 = null).
  std::size_t length(const char* field) {
    return static_cast<std::size_t>(uvarint(field, 5, 0xFFFFFFFFU));
  }
  // True (and consumes it) iff the next byte is the null marker 0 of a nullable field.
  bool peek_null(const char* field) {
    need(1, field);
    if (data_[pos_] != '\0') return false;
    ++pos_;
    return true;
  }

  std::string_view data_;
  std::size_t pos_ = 0;
  std::string record_;
};

// ---- field order per record (version 0) -----------------------------------------------------

template <typename T, typename R>
concept RecordOf = std::same_as<std::remove_const_t<T>, R>;

template <typename Io, RecordOf<RegisterBrokerRecord> R>
void fields(Io& io, R& r) {
  io.i32("BrokerId", r.broker_id);
  io.uuid("IncarnationId", r.incarnation_id);
  io.i64("BrokerEpoch", r.broker_epoch);
  io.array("EndPoints", r.endpoints, [](Io& io2, auto& ep) {
    io2.str("EndPoints.Name", ep.name);
    io2.str("EndPoints.Host", ep.host);
    io2.u16("EndPoints.Port", ep.port);
  });
  io.array("Features", r.features, [](Io& io2, auto& f) {
    io2.str("Features.Name", f.name);
    io2.i16("Features.MinSupportedVersion", f.min_supported);
    io2.i16("Features.MaxSupportedVersion", f.max_supported);
  });
  io.opt_str("Rack", r.rack);
  io.boolean("Fenced", r.fenced);
  io.boolean("InControlledShutdown", r.in_controlled_shutdown);
}

template <typename Io, RecordOf<UnregisterBrokerRecord> R>
void fields(Io& io, R& r) {
  io.i32("BrokerId", r.broker_id);
  io.i64("BrokerEpoch", r.broker_epoch);
}

template <typename Io, RecordOf<BrokerRegistrationChangeRecord> R>
void fields(Io& io, R& r) {
  io.i32("BrokerId", r.broker_id);
  io.i64("BrokerEpoch", r.broker_epoch);
  io.i8("Fenced", r.fenced);
  io.i8("InControlledShutdown", r.in_controlled_shutdown);
}

template <typename Io, RecordOf<TopicRecord> R>
void fields(Io& io, R& r) {
  io.str("Name", r.name);
  io.uuid("TopicId", r.topic_id);
}

template <typename Io, RecordOf<PartitionRecord> R>
void fields(Io& io, R& r) {
  io.i32("PartitionId", r.partition_id);
  io.uuid("TopicId", r.topic_id);
  io.i32s("Replicas", r.replicas);
  io.i32s("Isr", r.isr);
  io.i32s("RemovingReplicas", r.removing_replicas);
  io.i32s("AddingReplicas", r.adding_replicas);
  io.i32("Leader", r.leader);
  io.i8("LeaderRecoveryState", r.leader_recovery_state);
  io.i32("LeaderEpoch", r.leader_epoch);
  io.i32("PartitionEpoch", r.partition_epoch);
}

template <typename Io, RecordOf<PartitionChangeRecord> R>
void fields(Io& io, R& r) {
  io.i32("PartitionId", r.partition_id);
  io.uuid("TopicId", r.topic_id);
  io.opt_i32s("Isr", r.isr);
  io.i32("Leader", r.leader);
  io.opt_i32s("Replicas", r.replicas);
  io.opt_i8("LeaderRecoveryState", r.leader_recovery_state);
}

template <typename Io, RecordOf<RemoveTopicRecord> R>
void fields(Io& io, R& r) {
  io.uuid("TopicId", r.topic_id);
}

template <typename Io, RecordOf<ConfigRecord> R>
void fields(Io& io, R& r) {
  io.i8("ResourceType", r.resource_type);
  io.str("ResourceName", r.resource_name);
  io.str("Name", r.name);
  io.opt_str("Value", r.value);
}

template <typename Io, RecordOf<FeatureLevelRecord> R>
void fields(Io& io, R& r) {
  io.str("Name", r.name);
  io.i16("FeatureLevel", r.feature_level);
}

template <typename Io, RecordOf<NoOpRecord> R>
void fields(Io&, R&) {}

template <typename Io, RecordOf<ProducerIdsRecord> R>
void fields(Io& io, R& r) {
  io.i32("BrokerId", r.broker_id);
  io.i64("BrokerEpoch", r.broker_epoch);
  io.i64("NextProducerId", r.next_producer_id);
}

template <typename R>
MetadataRecord read_as(Reader& reader) {
  reader.set_record(R::kName);
  R record;
  fields(reader, record);
  return record;
}

// True iff some alternative of MetadataRecord has this apiKey.
template <std::size_t... I>
bool is_known_api_key(std::uint64_t key, std::index_sequence<I...>) {
  return ((key == static_cast<std::uint64_t>(
                     std::variant_alternative_t<I, MetadataRecord>::kApiKey)) ||
          ...);
}

// Decodes the body of the record with the given apiKey; nullopt if the apiKey is unknown.
std::optional<MetadataRecord> read_body(Reader& reader, std::uint64_t key) {
  switch (key) {
    case RegisterBrokerRecord::kApiKey: return read_as<RegisterBrokerRecord>(reader);
    case UnregisterBrokerRecord::kApiKey: return read_as<UnregisterBrokerRecord>(reader);
    case BrokerRegistrationChangeRecord::kApiKey:
      return read_as<BrokerRegistrationChangeRecord>(reader);
    case TopicRecord::kApiKey: return read_as<TopicRecord>(reader);
    case PartitionRecord::kApiKey: return read_as<PartitionRecord>(reader);
    case PartitionChangeRecord::kApiKey: return read_as<PartitionChangeRecord>(reader);
    case RemoveTopicRecord::kApiKey: return read_as<RemoveTopicRecord>(reader);
    case ConfigRecord::kApiKey: return read_as<ConfigRecord>(reader);
    case FeatureLevelRecord::kApiKey: return read_as<FeatureLevelRecord>(reader);
    case NoOpRecord::kApiKey: return read_as<NoOpRecord>(reader);
    case ProducerIdsRecord::kApiKey: return read_as<ProducerIdsRecord>(reader);
    default: return std::nullopt;
  }
}

}  // namespace

namespace {

template <typename R>
std::string encode_one(const R& record) {
  Writer writer;
  writer.uvarint(static_cast<std::uint64_t>(R::kApiKey));
  writer.uvarint(kRecordVersion);
  fields(writer, record);
  return writer.take();
}

}  // namespace

std::string encode_record(const MetadataRecord& record) {
  return std::visit([](const auto& r) { return encode_one(r); }, record);
}

std::string encode_record(const PartitionRecord& record) { return encode_one(record); }

MetadataRecord decode_record(std::string_view bytes) {
  Reader reader(bytes);
  const std::size_t key_offset = reader.position();
  const std::uint64_t key = reader.uvarint("apiKey", 5, 0xFFFFFFFFU);
  const std::size_t version_offset = reader.position();
  const std::uint64_t version = reader.uvarint("version", 5, 0xFFFFFFFFU);
  if (!is_known_api_key(key, std::make_index_sequence<std::variant_size_v<MetadataRecord>>{})) {
    reader.fail("unknown apiKey " + std::to_string(key), key_offset);
  }
  if (version != kRecordVersion) {
    reader.fail("unsupported version " + std::to_string(version) + " for apiKey " +
                    std::to_string(key),
                version_offset);
  }
  std::optional<MetadataRecord> record = read_body(reader, key);
  if (reader.remaining() != 0) {
    reader.fail(std::to_string(reader.remaining()) + " trailing bytes after " +
                    std::string(record_name(*record)),
                reader.position());
  }
  return std::move(*record);
}

}  // namespace raft::metadata
