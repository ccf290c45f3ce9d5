using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Protobuf;

/// <summary>
/// Decodes a Kubernetes protobuf body (<c>application/vnd.kubernetes.protobuf</c>: the "k8s\0"
/// magic, a runtime.Unknown envelope with the TypeMeta, then the object) into the JSON the store
/// keeps. One schema-driven reader for every kind <see cref="KubeProtoSchema"/> describes (the
/// kinds kubectl creates imperatively); anything else, or a field the schema does not list, is a
/// 415 naming what could not be read.
/// </summary>
internal static class ProtobufDecoder
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <summary>True when the kind can be decoded from protobuf.</summary>
    public static bool Supports(ResourceKind kind) => KubeProtoSchema.Messages.ContainsKey(kind.Kind);

    public static JsonObject Decode(ResourceKind kind, ReadOnlySpan<byte> body)
    {
        try
        {
            if (!body.StartsWith(Magic)) throw new FormatException("missing the k8s protobuf prefix");
            var envelope = new ProtobufReader(body[Magic.Length..]);
            string? apiVersion = null, typeKind = null;
            JsonObject? obj = null;
            while (!envelope.AtEnd)
            {
                var (field, wire) = envelope.ReadTag();
                if (field == 1 && wire == 2)
                {
                    var typeMeta = new ProtobufReader(envelope.ReadLengthDelimited());
                    while (!typeMeta.AtEnd)
                    {
                        var (f, w) = typeMeta.ReadTag();
                        if (f == 1 && w == 2) apiVersion = Encoding.UTF8.GetString(typeMeta.ReadLengthDelimited());
                        else if (f == 2 && w == 2) typeKind = Encoding.UTF8.GetString(typeMeta.ReadLengthDelimited());
                        else typeMeta.Skip(w);
                    }
                }
                else if (field == 2 && wire == 2)
                {
                    obj = ReadMessage(kind.Kind, envelope.ReadLengthDelimited());
                }
                else
                {
                    envelope.Skip(wire);
                }
            }
            if (obj == null) throw new FormatException("the envelope holds no object");
            obj["apiVersion"] = apiVersion ?? kind.ApiVersion;
            obj["kind"] = typeKind ?? kind.Kind;
            return obj;
        }
        catch (FormatException e)
        {
            throw new ApiError(415, "UnsupportedMediaType",
                $"the simulated API server could not decode this protobuf {kind.Kind} ({e.Message}); send JSON instead, e.g. with -o json | kubectl create -f -");
        }
    }

    private static JsonObject ReadMessage(string type, ReadOnlySpan<byte> data)
    {
        var fields = KubeProtoSchema.Messages[type];
        var result = new JsonObject();
        var reader = new ProtobufReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            var field = Array.Find(fields, f => f.Number == number) ?? throw new FormatException($"field {number} of {type} is not supported");
            if (field.Type == "Skip")
            {
                reader.Skip(wire);
                continue;
            }
            if (field.Inline)
            {
                foreach (var (key, value) in ReadMessage(field.Type, reader.ReadLengthDelimited()))
                {
                    result[key] = value?.DeepClone();
                }
                continue;
            }
            var node = ReadValue(field, wire, ref reader, result);
            if (node == null) continue;
            if (field.Repeated)
            {
                if (result[field.Json] is not JsonArray list)
                {
                    list = new JsonArray();
                    result[field.Json] = list;
                }
                list.Add(node);
            }
            else
            {
                result[field.Json] = node;
            }
        }
        return result;
    }

    private static JsonNode? ReadValue(ProtoField field, int wire, ref ProtobufReader reader, JsonObject parent)
    {
        switch (field.Type)
        {
            case "string":
            {
                var text = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                return text.Length == 0 && !field.Pointer && !field.Repeated ? null : JsonValue.Create(text);
            }
            case "bytes":
                return JsonValue.Create(Convert.ToBase64String(reader.ReadLengthDelimited()));
            case "IntOrString":
                return ReadIntOrString(reader.ReadLengthDelimited());
            case "int32" or "int64":
            {
                var value = (long)reader.ReadVarint();
                if (field.Type == "int32") value = (int)value;
                return value == 0 && !field.Pointer ? null : JsonValue.Create(value);
            }
            case "bool":
            {
                var value = reader.ReadVarint() != 0;
                return !value && !field.Pointer ? null : JsonValue.Create(value);
            }
            case "map" or "quantitymap" or "bytesmap":
            {
                var (key, value) = ReadMapEntry(reader.ReadLengthDelimited(), field.Type);
                if (parent[field.Json] is not JsonObject map)
                {
                    map = new JsonObject();
                    parent[field.Json] = map;
                }
                map[key] = value;
                return null;
            }
            case "Time":
                return ReadTime(reader.ReadLengthDelimited());
            case "Quantity":
                return ReadQuantity(reader.ReadLengthDelimited());
            default:
                if (wire != 2) throw new FormatException($"field {field.Json} has wire type {wire}");
                return ReadMessage(field.Type, reader.ReadLengthDelimited());
        }
    }

    private static (string Key, string Value) ReadMapEntry(ReadOnlySpan<byte> data, string mapType)
    {
        var reader = new ProtobufReader(data);
        string key = "", value = "";
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1) key = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
            else if (number == 2)
            {
                var bytes = reader.ReadLengthDelimited();
                value = mapType switch
                {
                    "quantitymap" => ReadQuantity(bytes),
                    // JSON carries []byte values (Secret data, ConfigMap binaryData) as base64.
                    "bytesmap" => Convert.ToBase64String(bytes),
                    _ => Encoding.UTF8.GetString(bytes),
                };
            }
            else reader.Skip(wire);
        }
        return (key, value);
    }

    /// <summary>intstr.IntOrString: type 0 is an int (intVal), 1 a string (strVal).</summary>
    private static JsonNode ReadIntOrString(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        long type = 0, number = 0;
        var text = "";
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1) type = (long)reader.ReadVarint();
            else if (field == 2) number = (int)reader.ReadVarint();
            else if (field == 3) text = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
            else reader.Skip(wire);
        }
        return type == 1 ? JsonValue.Create(text) : JsonValue.Create(number);
    }

    private static string ReadQuantity(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        var text = "";
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1) text = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
            else reader.Skip(wire);
        }
        return text;
    }

    private static JsonNode? ReadTime(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        long seconds = 0;
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1) seconds = (long)reader.ReadVarint();
            else reader.Skip(wire);
        }
        return seconds == 0 ? null : JsonValue.Create(ObjectStore.Timestamp(DateTimeOffset.FromUnixTimeSeconds(seconds)));
    }
}
