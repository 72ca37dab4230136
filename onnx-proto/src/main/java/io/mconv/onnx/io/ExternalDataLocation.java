package io.mconv.onnx.io;

import io.mconv.onnx.proto.Onnx.StringStringEntryProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parsed {@code external_data} entries of one tensor: where its bytes live relative to the model's folder.
 *
 * <p>Parsing is strict because these strings come from the file: an unknown key, a repeated key, a number that
 * is not a plain non-negative decimal or does not fit a {@code long}, or a missing location is an error rather
 * than something to guess around. The location's shape is checked here too (see {@link SafeRelativePath}); whether
 * it stays inside the model's folder on disk is checked by {@link ExternalDataResolver}.
 *
 * @param location the relative path as written in the file
 * @param offset byte offset in the data file, 0 when absent
 * @param length byte length, or -1 when absent (meaning: to the end of the file)
 * @param checksum the SHA-1 hex string as written, or null; not verified (ONNX does not either)
 */
public record ExternalDataLocation(String location, long offset, long length, String checksum) {

    public static final String LOCATION = "location";
    public static final String OFFSET = "offset";
    public static final String LENGTH = "length";
    public static final String CHECKSUM = "checksum";

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+");

    public ExternalDataLocation {
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("offset and length must be non-negative");
        }
    }

    /** Whether a length was given; without one the data runs to the end of the file. */
    public boolean hasLength() {
        return length >= 0;
    }

    /**
     * Parses a tensor's {@code external_data}.
     *
     * @param modelFile named in the error line (may be null for in-memory models)
     * @throws InvalidModelException naming the model file and the tensor
     */
    public static ExternalDataLocation parse(TensorProto tensor, Path modelFile) {
        String location = null;
        long offset = 0;
        long length = -1;
        String checksum = null;
        Set<String> seen = new HashSet<>();
        for (StringStringEntryProto e : tensor.getExternalDataList()) {
            String key = e.getKey();
            if (!seen.add(key)) {
                throw error(modelFile, tensor, "external_data key " + ErrorLine.quote(key) + " is given twice");
            }
            switch (key) {
                case LOCATION -> location = e.getValue();
                case OFFSET -> offset = number(modelFile, tensor, key, e.getValue());
                case LENGTH -> length = number(modelFile, tensor, key, e.getValue());
                case CHECKSUM -> checksum = e.getValue();
                default -> throw error(modelFile, tensor, "unknown external_data key " + ErrorLine.quote(key)
                        + " (expected location, offset, length, checksum)");
            }
        }
        if (location == null) {
            throw error(modelFile, tensor, "external_data has no 'location'");
        }
        String bad = SafeRelativePath.problem(location);
        if (bad != null) {
            throw error(modelFile, tensor, "external data location " + ErrorLine.quote(location) + " " + bad);
        }
        return new ExternalDataLocation(location, offset, length, checksum);
    }

    /** The external_data entries that describe this location, in ONNX's usual order. */
    public java.util.List<StringStringEntryProto> toEntries() {
        java.util.List<StringStringEntryProto> out = new java.util.ArrayList<>(4);
        out.add(entry(LOCATION, location));
        out.add(entry(OFFSET, Long.toString(offset)));
        if (hasLength()) {
            out.add(entry(LENGTH, Long.toString(length)));
        }
        if (checksum != null) {
            out.add(entry(CHECKSUM, checksum));
        }
        return out;
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private static long number(Path modelFile, TensorProto tensor, String key, String value) {
        // Only plain digits: Long.parseLong would also accept "+5" and "-0", and a sign is never legitimate here.
        if (!DECIMAL.matcher(value).matches()) {
            throw error(modelFile, tensor, "external_data " + key + " " + ErrorLine.quote(value)
                    + " is not a non-negative decimal integer");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw error(modelFile, tensor, "external_data " + key + " " + ErrorLine.quote(value)
                    + " does not fit a 64-bit integer");
        }
    }

    static InvalidModelException error(Path modelFile, TensorProto tensor, String cause) {
        return new InvalidModelException(modelFile, "tensor " + ErrorLine.quote(tensor.getName()) + ": " + cause);
    }
}
