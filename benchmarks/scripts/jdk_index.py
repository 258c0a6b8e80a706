"""Write `assertgen/jdk_index.txt.gz`: what `assertgen fill`'s checks know of the JDK, asked of
real JDKs by reflection, so that no list of classes, members or constants is typed by hand.

    python benchmarks/scripts/jdk_index.py /usr/lib/jvm/java-17-openjdk-amd64/bin/java \\
        /usr/lib/jvm/temurin-25-jdk-amd64/bin/java

Each JDK lists every public top-level class of `PACKAGES`: its superclass and its members
(public methods and fields, inherited ones included, Object's for an interface, public
member classes).
The index is their union: a class or member of any of the JDKs given counts, since a
project may build on any of them (Java 17 removed nothing tests use that 25 lacks; 21 and
25 added SequencedCollection's `getFirst`, `MatchException`, ...).

One line per class: `PACKAGE CLASS SUPERCLASS MEMBER ... | STATIC ... | ARITY ...` (`-` for no
superclass: an interface, or Object itself; a method is written `name()`, a field or member class
`name`; the STATIC members, a part of the members, are what `Class.member` and `import static
PACKAGE.CLASS.*;` may name: static fields and methods, member classes; an ARITY `name/N` is a
public method's parameter count, `name/N+` a varargs one's).
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import tempfile
from pathlib import Path

# java.lang and the packages tests import with a wildcard (`import java.util.*;`).
PACKAGES = """java.lang java.lang.reflect java.util java.util.stream java.util.function java.util.concurrent
java.util.concurrent.atomic java.util.regex java.util.zip java.io java.nio java.nio.file java.nio.charset java.math
java.time java.time.format java.time.temporal java.net java.text java.sql java.security""".split()

OUT = Path(__file__).resolve().parents[2] / "assertgen" / "jdk_index.txt.gz"

_PROGRAM = r"""
import java.lang.reflect.*;
import java.net.URI;
import java.nio.file.*;
import java.util.*;
import java.util.stream.*;

public class JdkIndex {
    public static void main(String[] packages) throws Exception {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<Path> modules;
        try (Stream<Path> s = Files.list(jrt.getPath("/modules"))) { modules = s.collect(Collectors.toList()); }
        for (String pkg : packages) {
            TreeSet<String> names = new TreeSet<>();
            for (Path module : modules) {
                Path dir = module.resolve(pkg.replace('.', '/'));
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(f -> f.getFileName().toString())
                         .filter(f -> f.endsWith(".class") && !f.contains("$") && !f.contains("-info"))
                         .forEach(f -> names.add(f.substring(0, f.length() - ".class".length())));
                }
            }
            for (String name : names) {
                Class<?> c;
                try { c = Class.forName(pkg + "." + name, false, ClassLoader.getSystemClassLoader()); }
                catch (Throwable e) { continue; }
                if (!Modifier.isPublic(c.getModifiers())) continue;
                TreeSet<String> members = new TreeSet<>(), statics = new TreeSet<>(), arities = new TreeSet<>();
                for (Field f : c.getFields()) {
                    members.add(f.getName());
                    if (Modifier.isStatic(f.getModifiers())) statics.add(f.getName());
                }
                for (Method m : c.getMethods()) {
                    members.add(m.getName() + "()");
                    arities.add(m.getName() + "/" + m.getParameterCount() + (m.isVarArgs() ? "+" : ""));
                    if (Modifier.isStatic(m.getModifiers())) statics.add(m.getName() + "()");
                }
                if (c.isInterface()) for (Method m : Object.class.getMethods()) members.add(m.getName() + "()");
                for (Class<?> nested : c.getClasses()) {
                    members.add(nested.getSimpleName());
                    statics.add(nested.getSimpleName());  // `Map.Entry` names it, static or not
                }
                String superclass = c.getSuperclass() == null ? "-" : c.getSuperclass().getSimpleName();
                System.out.println(pkg + " " + name + " " + superclass + " " + String.join(" ", members)
                                   + " | " + String.join(" ", statics) + " | " + String.join(" ", arities));
            }
        }
    }
}
"""


def read_index(lines) -> dict[tuple[str, str], tuple[str, set[str], set[str], set[str]]]:
    """{(package, class): (superclass, members, static members, arities)} of index lines."""
    from assertgen.jdk import index_sections

    index = {}
    for line in lines:
        if line.strip():
            words, statics, arities = index_sections(line)
            index[(words[0], words[1])] = (words[2], set(words[3:]), set(statics), set(arities))
    return index


def ask_jdk(java: str) -> dict:
    """The index of one JDK (`java`: its launcher, Java 11 or later for a source file)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "JdkIndex.java"
        source.write_text(_PROGRAM)
        run = subprocess.run([java, str(source), *PACKAGES], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise SystemExit(f"{java}: {run.stderr.strip()}")
    return read_index(run.stdout.splitlines())


def union(indexes: list[dict]) -> dict:
    merged: dict = {}
    for index in indexes:
        for key, (superclass, members, statics, arities) in index.items():
            _, had, had_statics, had_arities = merged.get(key, (superclass, set(), set(), set()))
            merged[key] = (superclass, had | members, had_statics | statics, had_arities | arities)
    return merged


def index_lines(index: dict) -> list[str]:
    return [" ".join([package, name, superclass, *sorted(members), "|", *sorted(statics), "|", *sorted(arities)])
            for (package, name), (superclass, members, statics, arities) in sorted(index.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("java", nargs="+", help="the `java` launcher of each JDK to ask")
    parser.add_argument("--out", default=str(OUT), help=f"index file (default {OUT})")
    args = parser.parse_args()
    lines = index_lines(union([ask_jdk(java) for java in args.java]))
    # mtime 0: the same JDKs give the same bytes, so a regenerated index shows no spurious diff
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode())
    print(f"{len(lines)} classes -> {args.out}")


if __name__ == "__main__":
    main()
