package dev.ebpfexporter.bcc;

import java.util.List;

/**
 * The libbpf C made from an inline program.
 *
 * @param source the complete C file
 * @param maps   the maps it declares, in order
 */
public record RewrittenProgram(String source, List<MapDecl> maps) {
    public RewrittenProgram {
        maps = List.copyOf(maps);
    }

    public List<String> mapNames() {
        return maps.stream().map(MapDecl::name).toList();
    }
}
