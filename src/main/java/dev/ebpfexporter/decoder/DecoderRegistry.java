package dev.ebpfexporter.decoder;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.DidYouMean;

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

    /** {@link #NAMES} and {@link #KUBE_NAMES}: every name {@link #create} builds. */
    static Set<String> allNames() {
        Set<String> all = new java.util.TreeSet<>(NAMES);
        all.addAll(KUBE_NAMES);
        return all;
    }

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
            case "cgroup" -> text(config, labelSize, "uint", new CgroupDecoder(lookups.cgroups()));
            case "container_id" -> text(config, labelSize, "cgroup", new KubeDecoder(KubeDecoder.Field.CONTAINER_ID, lookups.kube()));
            case "kube_container" -> text(config, labelSize, "cgroup", new KubeDecoder(KubeDecoder.Field.CONTAINER, lookups.kube()));
            case "kube_namespace" -> text(config, labelSize, "cgroup", new KubeDecoder(KubeDecoder.Field.NAMESPACE, lookups.kube()));
            case "kube_pod" -> text(config, labelSize, "cgroup", new KubeDecoder(KubeDecoder.Field.POD, lookups.kube()));
            case "kube_pod_uid" -> text(config, labelSize, "cgroup", new KubeDecoder(KubeDecoder.Field.POD_UID, lookups.kube()));
            case "dname" -> new DnameDecoder();
            case "errno" -> text(config, labelSize, "uint", new ErrnoDecoder());
            case "hex" -> new HexDecoder();
            case "ifname" -> sized(config, labelSize, 4, new IfnameDecoder(lookups.netInterfaces()));
            case "inet_ip" -> inetIp(config, labelSize);
            case "ksym" -> sized(config, labelSize, 8, new KsymDecoder(lookups.symbols()));
            case "kstack" -> kstack(config, labelSize);
            case "majorminor" -> sized(config, labelSize, 4, new MajorMinorDecoder(lookups.blockDevices()));
            case "pci_class" -> text(config, labelSize, "uint", PciDecoder.pciClass(lookups.pciIds()));
            case "pci_device" -> text(config, labelSize, "uint", PciDecoder.device(lookups.pciIds()));
            case "pci_subclass" -> text(config, labelSize, "uint", PciDecoder.subclass(lookups.pciIds()));
            case "pci_vendor" -> text(config, labelSize, "uint", PciDecoder.vendor(lookups.pciIds()));
            case "regexp" -> regexp(config);
            case "static_map" -> text(config, labelSize, "uint or string",
                    new StaticMapDecoder(config.staticMap(), config.allowUnknown()));
            case "string" -> new StringDecoder();
            case "syscall" -> text(config, labelSize, "uint", syscall(config));
            case "uint" -> uint(config, labelSize);
            case null, default -> throw new ConfigException(config.source(), "unknown decoder "
                    + Inputs.quoted(String.valueOf(name)) + DidYouMean.suggest(String.valueOf(name), allNames()));
        };
    }

    private static Decoder sized(DecoderConfig config, int labelSize, int atLeast, Decoder decoder) throws ConfigException {
        if (labelSize >= 0 && labelSize < atLeast) {
            throw sizeError(config, labelSize, "at least " + atLeast);
        }
        return decoder;
    }

    /**
     * A decoder of text (a number in decimal, a name, a path) cannot be first: it would read the key's raw bytes
     * as text and make every label {@code unknown:} plus those bytes, or an empty one ({@code static_map} on a raw
     * u64 did), or fail every key. {@code regexp} may be first: it finds a name in a NUL-padded array.
     */
    private static Decoder text(DecoderConfig config, int labelSize, String before, Decoder decoder)
            throws ConfigException {
        if (labelSize >= 0) {
            throw new ConfigException(config.source(), "decoder " + Inputs.quoted(config.name()) + " reads text, but"
                    + " it is the label's first decoder and would get its " + labelSize + " raw bytes: put a decoder"
                    + " such as " + before + " before it");
        }
        return decoder;
    }

    /** Go's {@code net.IP} text of any other length is {@code ?} and hex: a wrong size, never an address. */
    private static Decoder inetIp(DecoderConfig config, int labelSize) throws ConfigException {
        if (labelSize >= 0 && labelSize != 4 && labelSize != 16) {
            throw sizeError(config, labelSize, "4 (IPv4) or 16 (IPv6)");
        }
        return new InetIpDecoder();
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
                        + Inputs.quoted(Regexps.shown(regexp)) + ": " + e.getDescription(), e);
            }
        }
        return new RegexpDecoder(patterns);
    }

    private Decoder syscall(DecoderConfig config) throws ConfigException {
        return new SyscallDecoder(NameTables.syscalls(lookups.arch()));
    }
}
