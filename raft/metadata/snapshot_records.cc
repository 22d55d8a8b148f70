// Encoding an image as snapshot records. See snapshot_records.hh.
#include "raft/metadata/snapshot_records.hh"

#include "raft/metadata/record_codec.hh"

namespace raft::metadata {

namespace {

class EncodingWriter final : public ImageWriter {
 public:
  explicit EncodingWriter(std::size_t expected) { out_.reserve(expected); }
  void write(const MetadataRecord& record) override { out_.push_back(encode_record(record)); }
  void write(const PartitionRecord& record) override { out_.push_back(encode_record(record)); }
  std::vector<std::string> take() { return std::move(out_); }

 private:
  std::vector<std::string> out_;
};

}  // namespace

std::vector<std::string> encode_snapshot_records(const MetadataImage& image) {
  // Partitions and topics dominate; the rest is a few records per broker, feature and config.
  EncodingWriter writer(static_cast<std::size_t>(image.partition_count()) + image.topics().size() +
                        image.brokers().size() + image.features().size() + 1);
  image.write(writer);
  return writer.take();
}

}  // namespace raft::metadata
