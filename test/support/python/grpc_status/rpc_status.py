# A stand-in for grpcio-status's grpc_status.rpc_status, which Debian does not
# package: test/other-languages.test.ts runs docs/clients.md's Python program
# with Debian's grpcio, and this module does what the real from_call does, read
# the grpc-status-details-bin trailer into a google.rpc.Status. The bytes are
# the server's; nothing here answers for it.
from google.protobuf import any_pb2  # noqa: F401 (puts google/protobuf/any.proto in the pool)
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_Field = descriptor_pb2.FieldDescriptorProto
_file = descriptor_pb2.FileDescriptorProto(
    name="google/rpc/status.proto", package="google.rpc", syntax="proto3", dependency=["google/protobuf/any.proto"]
)
_message = _file.message_type.add(name="Status")
_message.field.add(name="code", number=1, type=_Field.TYPE_INT32, label=_Field.LABEL_OPTIONAL, json_name="code")
_message.field.add(name="message", number=2, type=_Field.TYPE_STRING, label=_Field.LABEL_OPTIONAL, json_name="message")
_message.field.add(
    name="details", number=3, type=_Field.TYPE_MESSAGE, type_name=".google.protobuf.Any",
    label=_Field.LABEL_REPEATED, json_name="details",
)
_pool = descriptor_pool.Default()
_pool.AddSerializedFile(_file.SerializeToString())
Status = message_factory.MessageFactory(_pool).GetPrototype(_pool.FindMessageTypeByName("google.rpc.Status"))


def from_call(call):
    """The google.rpc.Status of a failed call, or None when it has no details."""
    for key, value in call.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            return Status.FromString(value)
    return None
