package io.mconv.agent.export;

import io.mconv.agent.InvalidOptionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code --arch} says a weights-only state_dict holds. {@code mlp:D0,D1,...,Dn[:ACT]} is
 * Linear(D0→D1), ACT, Linear(D1→D2), ACT, ..., Linear(Dn-1→Dn): the activation sits between layers, never after
 * the last one, as in {@code nn.Sequential(nn.Linear(...), nn.ReLU(), ...)}.
 *
 * @param dims       D0..Dn, at least two, all positive
 * @param activation between the Linear layers
 */
public record ArchSpec(List<Long> dims, Activation activation) {

    /** The accepted form, for usage messages. */
    public static final String FORM = "mlp:D0,D1,...,Dn[:relu|gelu|tanh|sigmoid|none] (e.g. mlp:768,512,768:relu)";

    /** The activations {@code --arch mlp} accepts, spelled as torch.nn names them in lower case. */
    public enum Activation {
        RELU, GELU, TANH, SIGMOID, NONE;

        String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ArchSpec {
        dims = List.copyOf(dims);
        if (dims.size() < 2) {
            throw new IllegalArgumentException("an MLP needs at least two dims, got " + dims);
        }
    }

    /**
     * @throws InvalidOptionException naming the bad part and the accepted form (a usage error)
     */
    public static ArchSpec parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || !parts[0].equals("mlp")) {
            String kind = parts[0];
            throw bad(text, parts.length >= 2 && !kind.equals("mlp") ? "unknown architecture '" + kind
                    + "' (this build knows mlp)" : "expected " + FORM);
        }
        List<Long> dims = new ArrayList<>();
        for (String d : parts[1].split(",", -1)) {
            long v;
            try {
                v = Long.parseLong(d.trim());
            } catch (NumberFormatException e) {
                throw bad(text, "dimension '" + d + "' is not a whole number");
            }
            if (v <= 0) {
                throw bad(text, "dimension " + v + " must be positive");
            }
            dims.add(v);
        }
        if (dims.size() < 2) {
            throw bad(text, "an MLP needs at least two dimensions (input and output), got " + dims.size());
        }
        Activation act = Activation.RELU;
        if (parts.length == 3) {
            try {
                act = Activation.valueOf(parts[2].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(text, "unknown activation '" + parts[2] + "' (accepted: relu, gelu, tanh, sigmoid, none)");
            }
        }
        return new ArchSpec(dims, act);
    }

    private static InvalidOptionException bad(String text, String why) {
        return new InvalidOptionException("--arch '" + text + "': " + why + "; the accepted form is " + FORM);
    }

    /** How many Linear layers. */
    public int layers() {
        return dims.size() - 1;
    }

    public long inFeatures(int layer) {
        return dims.get(layer);
    }

    public long outFeatures(int layer) {
        return dims.get(layer + 1);
    }

    /** The canonical spelling, activation included: {@code mlp:8,16,4:relu}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("mlp:");
        for (int i = 0; i < dims.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(dims.get(i));
        }
        return sb.append(':').append(activation.spelling()).toString();
    }
}
