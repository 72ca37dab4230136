package io.mconv.torch.archive;

/**
 * A reference to an allowlisted global that stays a value rather than being called, e.g. a dtype
 * ({@code torch.float32}) or a class object. Never resolved to anything executable.
 */
public record PyGlobal(String module, String name) {

    public String qualifiedName() {
        return module + "." + name;
    }
}
