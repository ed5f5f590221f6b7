package dev.ebpfexporter.bcc;

import java.util.Set;

/**
 * A map declared by a BCC table macro, and the libbpf C that replaces it.
 *
 * @param keyType    C type of the key, as written ({@code u64}, {@code struct key_t})
 * @param leafType   C type of the value
 * @param maxEntries C expression for the capacity, as written or BCC's default
 */
public record MapDecl(String name, MapKind kind, String keyType, String leafType, String maxEntries) {

    /** The BTF-defined map, in {@code SEC(".maps")}. */
    public String definition() {
        return "struct {\n"
                + "    __uint(type, " + kind.bpfType() + ");\n"
                + "    __uint(max_entries, " + maxEntries + ");\n"
                + "    __type(key, " + keyType + ");\n"
                + "    __type(value, " + leafType + ");\n"
                + "} " + name + " SEC(\".maps\");\n";
    }

    /** Name of the helper that implements {@code method} for this map. */
    public String helperName(String method) {
        return name + "__bcc_" + method;
    }

    /** The static inline helpers for the methods the program calls on this map (only those: some need integer values). */
    public String helpers(Set<String> methods) {
        StringBuilder out = new StringBuilder();
        String k = keyType;
        String v = leafType;
        if (methods.contains("lookup")) {
            out.append("static __always_inline ").append(v).append(" *").append(helperName("lookup")).append("(")
                    .append(k).append(" *key)\n{\n    return bpf_map_lookup_elem(&").append(name).append(", key);\n}\n");
        }
        if (methods.contains("lookup_or_try_init")) {
            out.append("static __always_inline ").append(v).append(" *").append(helperName("lookup_or_try_init"))
                    .append("(").append(k).append(" *key, ").append(v).append(" *init)\n{\n")
                    .append("    ").append(v).append(" *value = bpf_map_lookup_elem(&").append(name).append(", key);\n")
                    .append("    if (value)\n        return value;\n")
                    .append("    bpf_map_update_elem(&").append(name).append(", key, init, BPF_NOEXIST);\n")
                    .append("    return bpf_map_lookup_elem(&").append(name).append(", key);\n}\n");
        }
        if (methods.contains("update") || methods.contains("insert")) {
            for (String m : new String[] {"update", "insert"}) {
                if (methods.contains(m)) {
                    out.append("static __always_inline long ").append(helperName(m)).append("(").append(k)
                            .append(" *key, ").append(v).append(" *value)\n{\n    return bpf_map_update_elem(&")
                            .append(name).append(", key, value, ").append(m.equals("update") ? "BPF_ANY" : "BPF_NOEXIST")
                            .append(");\n}\n");
                }
            }
        }
        if (methods.contains("delete")) {
            out.append("static __always_inline long ").append(helperName("delete")).append("(").append(k)
                    .append(" *key)\n{\n    return bpf_map_delete_elem(&").append(name).append(", key);\n}\n");
        }
        if (methods.contains("increment")) {
            // BCC copies the key into a local, so the caller passes it by value; the add is atomic.
            out.append("static __always_inline void ").append(helperName("increment")).append("(").append(k)
                    .append(" key, ").append(v).append(" delta)\n{\n")
                    .append("    ").append(v).append(" *value = bpf_map_lookup_elem(&").append(name).append(", &key);\n");
            if (!kind.isArray()) {
                out.append("    if (!value) {\n        ").append(v).append(" zero = 0;\n")
                        .append("        bpf_map_update_elem(&").append(name).append(", &key, &zero, BPF_NOEXIST);\n")
                        .append("        value = bpf_map_lookup_elem(&").append(name).append(", &key);\n    }\n");
            }
            out.append("    if (value)\n        __sync_fetch_and_add(value, delta);\n}\n");
        }
        return out.toString();
    }
}
