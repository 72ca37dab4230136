package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium (Debian's {@code chromium}) and checks that the page's script drew
 * the charts: SVG elements in the DOM after load, and a screenshot that is not blank and shows the bars' colour.
 * Chromium is a test prerequisite: when it is missing the test fails with the command that installs it.
 */
class ProfileHtmlChromiumTest {

    private static final String INSTALL = "sudo apt-get install -y chromium";
    private static final int BAR_BLUE = 0x2f6fdf;

    private static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return fail("Chromium is not installed; this test renders the HTML report in it. Install it with: "
                + INSTALL + " (./test.sh installs it)");
    }

    private static String runChromium(Path profileDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--user-data-dir=" + profileDir));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + cmd);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int count(String dom, String cssClass) {
        Matcher m = Pattern.compile("class=\"" + Pattern.quote(cssClass) + "\"").matcher(dom);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void chartsAreDrawnInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path mlp = ProfileFixtures.dynamicMlp(dir);
        Path html = dir.resolve("report.html");
        CliRun ok = CliRun.of(ProfileFixtures.args("profile", mlp.toString(), "--batch", "1,4,16", "--html",
                html.toString()));
        assertEquals(0, ok.exitCode(), ok.err());
        Path cnnHtml = dir.resolve("cnn.html");
        String cnn = ProfileFixtures.tinyCnn().toString();
        assertEquals(0, CliRun.of(ProfileFixtures.args("profile", cnn, cnn, "--html", cnnHtml.toString()))
                .exitCode());

        String dom = runChromium(dir.resolve("chrome-a"), "--virtual-time-budget=5000", "--dump-dom",
                html.toUri().toString());
        assertTrue(dom.contains("data-rendered=\"true\""), "the script ran to its end");
        assertEquals(3 * 30, count(dom, "hist-bar"), "30 bins per batch size, three batch sizes");
        assertEquals(2, count(dom, "op-bar"), "MatMul and Relu");
        assertEquals(1, count(dom, "scaling-line"));
        assertEquals(3, count(dom, "scaling-point"));
        assertEquals(3, count(dom, "p50-line"));

        String cnnDom = runChromium(dir.resolve("chrome-b"), "--virtual-time-budget=5000", "--dump-dom",
                cnnHtml.toUri().toString());
        assertEquals(2, count(cnnDom, "throughput-bar"), "without --batch, one throughput bar per model");
        assertEquals(2 * 30, count(cnnDom, "hist-bar"));
        assertTrue(count(cnnDom, "op-bar") >= 3, cnnDom.length() + " chars");

        Path png = dir.resolve("shot.png");
        runChromium(dir.resolve("chrome-c"), "--window-size=1200,1400", "--virtual-time-budget=5000",
                "--screenshot=" + png, html.toUri().toString());
        assertTrue(Files.size(png) > 0, "screenshot written");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1200, img.getWidth());
        int nonWhite = 0;
        int blue = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb != 0xffffff) {
                    nonWhite++;
                }
                if (close(rgb, BAR_BLUE)) {
                    blue++;
                }
            }
        }
        int pixels = img.getWidth() * img.getHeight();
        System.out.printf("screenshot %dx%d: %d non-white pixels (%.1f%%), %d in the bars' blue%n", img.getWidth(),
                img.getHeight(), nonWhite, 100.0 * nonWhite / pixels, blue);
        assertTrue(nonWhite > pixels / 100, nonWhite + " non-white pixels of " + pixels);
        assertTrue(blue > 2000, "the drawn bars and lines are visible: " + blue + " pixels of the bars' blue");
    }

    private static boolean close(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((target >> shift) & 0xff)) > 12) {
                return false;
            }
        }
        return true;
    }
}
