package dev.ebpfexporter.config;

import java.util.List;

/** A BPF map the exporter keeps filled with the ids of cgroups whose paths match a regexp. */
public record CgroupIdMapConfig(String name, String type, List<String> regexps, Source source) {
    public CgroupIdMapConfig {
        regexps = List.copyOf(regexps);
    }
}
