package dev.ebpfexporter.bcc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tracepoint's record layout as tracefs describes it ({@code events/<category>/<event>/format}), and a C
 * struct with the same layout, for kernels whose BTF has no {@code trace_event_raw_<event>}.
 */
public record TracepointFormat(String category, String event, List<Field> fields) {

    /** One {@code field:<declaration>; offset:N; size:N; signed:N;} line. */
    public record Field(String declaration, String name, int offset, int size, boolean signed) {
        /** A {@code __data_loc} field: a u32 holding the offset and length of dynamic data. */
        public boolean dataLoc() {
            return declaration.startsWith("__data_loc");
        }

        /** Member name in the generated struct: BCC's {@code data_loc_<name>} for dynamic fields. */
        public String memberName() {
            return dataLoc() ? "data_loc_" + name : name;
        }
    }

    private static final Pattern FIELD = Pattern.compile(
            "^\\s*field:(.+?);\\s*offset:(\\d+);\\s*size:(\\d+);\\s*signed:(\\d+);");
    private static final Pattern NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(\\[[^]]*])?\\s*$");
    private static final Pattern ARRAY_LENGTH = Pattern.compile("\\[(\\d+)]$");

    public static TracepointFormat parse(String category, String event, String text) {
        List<Field> fields = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = FIELD.matcher(line);
            if (!m.find()) {
                continue;
            }
            String declaration = m.group(1).trim();
            Matcher n = NAME.matcher(declaration);
            if (!n.find()) {
                continue;
            }
            fields.add(new Field(declaration, n.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    m.group(4).equals("1")));
        }
        return new TracepointFormat(category, event, fields);
    }

    /** The event's own fields, without the {@code common_*} header. */
    public List<Field> eventFields() {
        return fields.stream().filter(f -> !f.name().startsWith("common_")).toList();
    }

    public String typeName() {
        return "struct bcc_tp__" + category + "__" + event;
    }

    /**
     * A struct with every field at its tracefs offset: scalars as sized integers (so no type needs to exist),
     * pointers and arrays as declared, {@code __data_loc} fields as the u32 they are, gaps as padding; offsets
     * are checked at compile time.
     */
    public String definition() {
        StringBuilder out = new StringBuilder(typeName()).append(" {\n");
        int at = 0;
        int pad = 0;
        for (Field f : fields) {
            if (f.offset() > at) {
                out.append("    char __bcc_pad").append(pad++).append('[').append(f.offset() - at).append("];\n");
            }
            out.append("    ").append(memberDeclaration(f)).append(";\n");
            at = Math.max(at, f.offset() + f.size());
        }
        out.append("};\n");
        for (Field f : fields) {
            out.append("_Static_assert(__builtin_offsetof(").append(typeName()).append(", ").append(f.memberName())
                    .append(") == ").append(f.offset()).append(", \"").append(event).append('.').append(f.name())
                    .append(" offset\");\n");
        }
        return out.toString();
    }

    private static String memberDeclaration(Field f) {
        String decl = f.declaration();
        if (f.dataLoc()) {
            return "u32 " + f.memberName();
        }
        Matcher array = ARRAY_LENGTH.matcher(decl);
        if (array.find()) {
            int length = Integer.parseInt(array.group(1));
            String elementType = decl.substring(0, decl.lastIndexOf(f.name())).trim();
            if (length > 0 && !elementType.contains("char")) {
                elementType = sizedInteger(f.size() / length, f.signed());
            }
            return elementType + " " + f.name() + "[" + length + "]";
        }
        if (decl.contains("*")) {
            return decl;
        }
        return sizedInteger(f.size(), f.signed()) + " " + f.name();
    }

    private static String sizedInteger(int size, boolean signed) {
        String prefix = signed ? "s" : "u";
        return switch (size) {
            case 1 -> prefix + "8";
            case 2 -> prefix + "16";
            case 4 -> prefix + "32";
            default -> prefix + "64";
        };
    }
}
