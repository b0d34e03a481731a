package io.chatai.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests that run Node.js scripts ask of the machine's Node.js. Stateless. */
public final class NodeTools {
    private NodeTools() {
    }

    /** {@code node --version} ({@code v20.20.2}), or null when Node.js is not on the PATH. */
    public static String version() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Whether {@code version} is Node.js 20 or newer. */
    public static boolean atLeast20(String version) {
        Matcher major = Pattern.compile("v(\\d+)\\.").matcher(version);
        return major.find() && Integer.parseInt(major.group(1)) >= 20;
    }
}
