package dev.ebpfexporter.decoder;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the decoder for one step of a label's decoder chain, by name, with everything the config
 * allows checking done once here (regexps compiled, input size checked) rather than per key.
 */
public final class DecoderRegistry {
    /** Every decoder name the reference exporter knows, and so do we. */
    public static final Set<String> NAMES = Set.of(
            "cgroup", "dname", "errno", "hex", "ifname", "inet_ip", "ksym", "kstack", "majorminor",
            "pci_class", "pci_device", "pci_subclass", "pci_vendor", "regexp", "static_map", "string",
            "syscall", "uint");

    /**
     * Ours, not the reference's: Kubernetes labels from the cgroup path the {@code cgroup} decoder
     * gives (see docs/deploy.md).
     */
    public static final Set<String> KUBE_NAMES = Set.of(
            "container_id", "kube_container", "kube_namespace", "kube_pod", "kube_pod_uid");

    private final KernelLookups lookups;

    public DecoderRegistry(KernelLookups lookups) {
        this.lookups = lookups;
    }

    /** Decoders that read the running machine; one registry (and so one symbol table) per exporter. */
    /** Reads the kernel symbols now: call before dropping privileges when a config decodes ksym or kstack. */
    public void preloadKernelSymbols() throws DecoderException {
        lookups.symbols().preload();
    }

    public static DecoderRegistry forSystem() {
        return new DecoderRegistry(KernelLookups.forSystem());
    }

    /**
     * @param labelSize the number of raw key bytes this decoder receives when it is the first of its
     *                  chain, or -1 when it is not (it then receives the previous decoder's text);
     *                  decoders of raw bytes check that they can read that many
     * @throws ConfigException naming the decoder: unknown name, bad regexp, size it cannot decode
     */
    public Decoder create(DecoderConfig config, int labelSize) throws ConfigException {
        String name = config.name();
        return switch (name) {
            case "cgroup" -> new CgroupDecoder(lookups.cgroups());
            case "container_id" -> new KubeDecoder(KubeDecoder.Field.CONTAINER_ID, lookups.kube());
            case "kube_container" -> new KubeDecoder(KubeDecoder.Field.CONTAINER, lookups.kube());
            case "kube_namespace" -> new KubeDecoder(KubeDecoder.Field.NAMESPACE, lookups.kube());
            case "kube_pod" -> new KubeDecoder(KubeDecoder.Field.POD, lookups.kube());
            case "kube_pod_uid" -> new KubeDecoder(KubeDecoder.Field.POD_UID, lookups.kube());
            case "dname" -> new DnameDecoder();
            case "errno" -> new ErrnoDecoder();
            case "hex" -> new HexDecoder();
            case "ifname" -> sized(config, labelSize, 4, new IfnameDecoder(lookups.netInterfaces()));
            case "inet_ip" -> new InetIpDecoder();
            case "ksym" -> sized(config, labelSize, 8, new KsymDecoder(lookups.symbols()));
            case "kstack" -> kstack(config, labelSize);
            case "majorminor" -> sized(config, labelSize, 4, new MajorMinorDecoder(lookups.blockDevices()));
            case "pci_class" -> PciDecoder.pciClass(lookups.pciIds());
            case "pci_device" -> PciDecoder.device(lookups.pciIds());
            case "pci_subclass" -> PciDecoder.subclass(lookups.pciIds());
            case "pci_vendor" -> PciDecoder.vendor(lookups.pciIds());
            case "regexp" -> regexp(config);
            case "static_map" -> new StaticMapDecoder(config.staticMap(), config.allowUnknown());
            case "string" -> new StringDecoder();
            case "syscall" -> syscall(config);
            case "uint" -> uint(config, labelSize);
            case null, default -> throw new ConfigException(config.source(), "unknown decoder " + Inputs.quoted(String.valueOf(name)));
        };
    }

    private static Decoder sized(DecoderConfig config, int labelSize, int atLeast, Decoder decoder) throws ConfigException {
        if (labelSize >= 0 && labelSize < atLeast) {
            throw sizeError(config, labelSize, "at least " + atLeast);
        }
        return decoder;
    }

    private Decoder kstack(DecoderConfig config, int labelSize) throws ConfigException {
        if (labelSize >= 0 && labelSize % 8 != 0) {
            throw sizeError(config, labelSize, "a multiple of 8");
        }
        return new KstackDecoder(lookups.symbols());
    }

    private static Decoder uint(DecoderConfig config, int labelSize) throws ConfigException {
        if (labelSize >= 0 && labelSize != 1 && labelSize != 2 && labelSize != 4 && labelSize != 8) {
            throw sizeError(config, labelSize, "1, 2, 4 or 8");
        }
        return new UintDecoder();
    }

    private static ConfigException sizeError(DecoderConfig config, int labelSize, String wanted) {
        return new ConfigException(config.source(), "decoder " + Inputs.quoted(config.name()) + " needs "
                + wanted + " bytes, but the label has " + labelSize);
    }

    private static Decoder regexp(DecoderConfig config) throws ConfigException {
        if (config.regexps().isEmpty()) {
            throw new ConfigException(config.source(), "decoder \"regexp\" needs at least one regexp in regexps");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String regexp : config.regexps()) {
            try {
                patterns.add(Regexps.compile(regexp));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(config.source(), "decoder \"regexp\": bad regexp "
                        + Inputs.quoted(Regexps.shown(regexp)) + ": " + e.getDescription());
            }
        }
        return new RegexpDecoder(patterns);
    }

    private Decoder syscall(DecoderConfig config) throws ConfigException {
        return new SyscallDecoder(NameTables.syscallsFor(lookups.arch()).orElseThrow(() -> new ConfigException(
                config.source(), "decoder \"syscall\" has no syscall table for architecture " + lookups.arch())));
    }
}
