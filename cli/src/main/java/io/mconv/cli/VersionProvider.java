package io.mconv.cli;

import picocli.CommandLine;

/** Reads the version Maven wrote into the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = MconvCommand.class.getPackage().getImplementationVersion();
        return new String[] {"mconv " + (v == null ? "(development build)" : v)};
    }
}
