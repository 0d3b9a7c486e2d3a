package dev.ecubridge.app;

import picocli.CommandLine;

/** The version from the jar manifest ("dev" when run from classes). */
public final class VersionProvider implements CommandLine.IVersionProvider {

    public static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ecu-bridge " + version()};
    }
}
