package dev.ebpfexporter.config;

import java.util.List;
import java.util.Map;

/**
 * One step of a label's decoder chain, as written in the YAML.
 *
 * @param name         decoder name (uint, ksym, static_map, ...)
 * @param staticMap    for static_map: raw value text to replacement
 * @param regexps      for regexp (and cgroup_id_map): patterns, any of which may match
 * @param allowUnknown for static_map: pass unknown values through instead of "unknown:<v>"
 */
public record DecoderConfig(String name, Map<String, String> staticMap, List<String> regexps,
                            boolean allowUnknown, Source source) {
    public DecoderConfig {
        staticMap = Map.copyOf(staticMap);
        regexps = List.copyOf(regexps);
    }

    public static DecoderConfig named(String name) {
        return new DecoderConfig(name, Map.of(), List.of(), false, Source.NONE);
    }
}
