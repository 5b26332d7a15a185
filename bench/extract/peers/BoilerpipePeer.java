// BoilerpipePeer.java - boilerpipe's ArticleExtractor (Debian
// libboilerpipe-java) over every page of a directory in one JVM.
//   java -cp boilerpipe.jar:nekohtml.jar:xercesImpl.jar:. BoilerpipePeer HTML_DIR OUT.json [ROUNDS]
// Pages are read into memory first; extraction is timed in the CPU time of
// the main thread (JIT compiler threads are not counted); prints
// "pages N rounds R cpu_s S pages_per_s P".
import de.l3s.boilerpipe.extractors.ArticleExtractor;
import java.io.*;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.zip.GZIPInputStream;

public class BoilerpipePeer {
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        File[] files = new File(args[0]).listFiles((d, n) -> n.endsWith(".html.gz"));
        Arrays.sort(files);
        List<String> ids = new ArrayList<>(), pages = new ArrayList<>();
        for (File f : files) {
            try (InputStream in = new GZIPInputStream(new FileInputStream(f))) {
                pages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                ids.add(f.getName().substring(0, f.getName().length() - ".html.gz".length()));
            }
        }
        String[] texts = new String[pages.size()];
        var bean = ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < pages.size(); i++) {
                try {
                    texts[i] = ArticleExtractor.INSTANCE.getText(pages.get(i));
                } catch (Exception e) {
                    if (r == 0) System.err.println(ids.get(i) + ": " + e);
                    texts[i] = "";
                }
            }
        }
        double cpu = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) out.append(',');
            out.append(json(ids.get(i))).append(":{\"articleBody\":").append(json(texts[i] == null ? "" : texts[i])).append('}');
        }
        out.append("}\n");
        Files.write(Paths.get(args[1]), out.toString().getBytes(StandardCharsets.UTF_8));
        System.out.printf("pages %d rounds %d cpu_s %.3f pages_per_s %.1f%n", ids.size(), rounds, cpu, ids.size() * rounds / cpu);
    }
}
