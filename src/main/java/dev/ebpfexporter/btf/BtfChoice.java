package dev.ebpfexporter.btf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel BTF the configs load with, picked again for each load of them (start-up, every reload) so that a
 * changed archive directory or a newly booted kernel is seen, and logged each time. Loaders ask {@link #current()}
 * while a load runs; whoever called {@link #choose()} closes what it returned when that load is done.
 */
public final class BtfChoice {
    private static final Logger log = LoggerFactory.getLogger(BtfChoice.class);

    private final BtfResolver resolver;
    private volatile KernelBtf current = KernelBtf.kernel();

    public BtfChoice(BtfResolver resolver) {
        this.resolver = resolver;
    }

    /** Picks the BTF for the load about to start. */
    public synchronized KernelBtf choose() throws BtfException {
        KernelBtf chosen = resolver.resolve();
        if (chosen.external()) {
            log.info("kernel BTF: {} (--btf.path)", chosen.picked());
        } else if (chosen.available()) {
            log.info("kernel BTF: {}", chosen.picked());
        } else {
            log.warn("kernel BTF: none: {}; configs that need it (CO-RE, tp_btf, fentry) will not load", KernelBtf.MISSING);
        }
        current = chosen;
        return chosen;
    }

    /** What the load in progress uses: the last choice (the kernel's own before any). */
    public KernelBtf current() {
        return current;
    }
}
