"""Write `assertgen/jdk_index.txt.gz`: what `assertgen fill`'s checks know of the JDK, asked of
real JDKs by reflection and by their compiler, so that no list of classes, members, exceptions
or releases is typed by hand.

    python benchmarks/scripts/jdk_index.py /usr/lib/jvm/java-17-openjdk-amd64/bin/java \\
        /usr/lib/jvm/temurin-25-jdk-amd64/bin/java

It writes `assertgen/jdk_packages.txt.gz` beside it: every exported java.* and javax.* package of
the JDKs and the names of its public top-level classes (`PACKAGE NAME ...`), all a test may import
(`import java.util.logging.*;`, `java.awt.Color`), of which the index tells more.

Each JDK lists every public top-level class of `PACKAGES` and their public member classes (named
through their class: `Map.Entry`): its superclass and its members
(public methods and fields, inherited ones included, Object's for an interface, public
member classes), its public methods' and constructors' parameter counts and the checked
exceptions they declare.
The index is their union: a class or member of any of the JDKs given counts, since a
project may build on any of them (Java 17 removed nothing tests use that 25 lacks; 21 and
25 added SequencedCollection's `getFirst`, `MatchException`, ...). Which Java release brought
each one is asked of the last JDK given: its javac's `--release N` (lib/ct.sym) lists the API
of every release from 8 to its own.

One line per class: `PACKAGE CLASS SUPERCLASS MEMBER ... | STATIC ... | ARITY ... | OVERLOAD ... | INTERFACE ...`
(`-` for no superclass: an interface, or Object itself; INTERFACE: every interface the class
implements, or the interface extends, its supertypes' too; a method is written `name()`, a field or
member class `name`; the STATIC members, a part of the members, are what `Class.member` and
`import static PACKAGE.CLASS.*;` may name: static fields and methods, member classes; an ARITY
`name/N` is a public method's parameter count, `name/N+` a varargs one's, `<new>/N` a public
constructor's; `name/N:TYPE` says that every overload of that count returns TYPE, in every JDK
given: a simple name, `int`, `String[]`, the class of a generic type, `Stream` of `Stream<R>`,
or `%N`, the class's own type parameter N, `get/1:%0` of `List<E>`; none for another type
variable, a method's own, or a member class, `Map.Entry`).
A class, member or arity may end in `@R`: Java release R brought it (written only after 8, and
for a member only when later than its class, for an arity only when later than its method's
name). An arity may end in `!E,...`: the checked exceptions (simple names) that every overload
of that parameter count declares, in every JDK given. Where a method's (or `<new>`'s) overloads
of one count differ in what they declare, the OVERLOAD part lists each of them with its
parameters' types (simple names): `getBytes/1=String!UnsupportedEncodingException getBytes/1=Charset`.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# java.lang and the packages tests import with a wildcard (`import java.util.*;`).
PACKAGES = """java.lang java.lang.reflect java.util java.util.stream java.util.function java.util.concurrent
java.util.concurrent.atomic java.util.regex java.util.zip java.io java.nio java.nio.file java.nio.charset java.math
java.util.logging java.util.concurrent.locks java.time java.time.format java.time.temporal java.net java.text java.sql java.security""".split()

OUT = Path(__file__).resolve().parents[2] / "assertgen" / "jdk_index.txt.gz"
PACKAGES_OUT = OUT.with_name("jdk_packages.txt.gz")

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
                describe(pkg, name, c);
                // its public member classes too, named through it (`Map.Entry`)
                for (Class<?> nested : c.getDeclaredClasses())
                    if (Modifier.isPublic(nested.getModifiers())) describe(pkg, name + "." + nested.getSimpleName(), nested);
            }
        }
    }

    static void describe(String pkg, String name, Class<?> c) {
        TreeSet<String> members = new TreeSet<>(), statics = new TreeSet<>(), arities = new TreeSet<>(),
                        overloads = new TreeSet<>();
        for (Field f : c.getFields()) {
            members.add(f.getName());
            if (Modifier.isStatic(f.getModifiers())) statics.add(f.getName());
        }
        for (Method m : c.getMethods()) {
            members.add(m.getName() + "()");
            arities.add(arity(m.getName() + "/" + m.getParameterCount() + (m.isVarArgs() ? "+" : "")
                              + ":" + returned(c, m), m));
            if (!m.isBridge()) overloads.add(overload(m.getName(), m));
            if (Modifier.isStatic(m.getModifiers())) statics.add(m.getName() + "()");
        }
        for (Constructor<?> k : c.getConstructors()) {
            arities.add(arity("<new>/" + k.getParameterCount() + (k.isVarArgs() ? "+" : ""), k));
            overloads.add(overload("<new>", k));
        }
        if (c.isInterface()) for (Method m : Object.class.getMethods()) members.add(m.getName() + "()");
        for (Class<?> nested : c.getClasses()) {
            members.add(nested.getSimpleName());
            statics.add(nested.getSimpleName());  // `Map.Entry` names it, static or not
        }
        String superclass = c.getSuperclass() == null ? "-" : c.getSuperclass().getSimpleName();
        TreeSet<String> interfaces = new TreeSet<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) addInterfaces(k, interfaces);
        System.out.println(pkg + " " + name + " " + superclass + " " + String.join(" ", members)
                           + " | " + String.join(" ", statics) + " | " + String.join(" ", arities)
                           + " | " + String.join(" ", overloads) + " | " + String.join(" ", interfaces));
    }

    // the interfaces c implements or extends, theirs in turn (`Map.Entry` for a member one)
    static void addInterfaces(Class<?> c, Set<String> found) {
        for (Class<?> i : c.getInterfaces()) {
            Class<?> outer = i.getEnclosingClass();
            if (found.add(outer == null ? i.getSimpleName() : outer.getSimpleName() + "." + i.getSimpleName()))
                addInterfaces(i, found);
        }
    }

    // the arity word, and `!E,...` where the overload declares checked exceptions (not a type
    // variable's: `<X extends Throwable> T orElseThrow(Supplier<? extends X>) throws X` throws what X is)
    static String arity(String word, Executable m) {
        TreeSet<String> checked = new TreeSet<>();
        for (Type t : m.getGenericExceptionTypes())
            if (t instanceof Class && !RuntimeException.class.isAssignableFrom((Class<?>) t)
                    && !Error.class.isAssignableFrom((Class<?>) t)) checked.add(((Class<?>) t).getSimpleName());
        return word + (checked.isEmpty() ? "" : "!" + String.join(",", checked));
    }

    // `name/N=P1,P2!E,...`: one overload, its parameters' types (simple names of their classes,
    // `byte[]`) and the checked exceptions it declares
    static String overload(String name, Executable m) {
        StringJoiner params = new StringJoiner(",");
        for (Class<?> p : m.getParameterTypes()) params.add(p.getSimpleName());
        return arity(name + "/" + m.getParameterCount() + (m.isVarArgs() ? "+" : "") + "=" + params, m);
    }

    // The simple name of the class a method of class c returns (`int`, `String[]`, `Stream` of
    // Stream<R>); `%N` for c's own type parameter N (`E get(int)` of List<E>: %0, `V get(Object)` of
    // Map<K,V>: %1); `?` for another type variable (a method's own, a supertype's) or a member class
    // (`Map.Entry`: the index names top-level classes only); `-` for a bridge, which says nothing (an
    // override's copy returning its supertype's type, or a public method of a package-private superclass)
    static String returned(Class<?> c, Method m) {
        if (m.isBridge()) return "-";
        Type t = m.getGenericReturnType();
        if (t instanceof TypeVariable && ((TypeVariable<?>) t).getGenericDeclaration() == c)
            return "%" + Arrays.asList(c.getTypeParameters()).indexOf(t);
        Class<?> base = m.getReturnType();
        while (base.isArray()) base = base.getComponentType();
        boolean sure = (t instanceof Class || t instanceof ParameterizedType) && base.getEnclosingClass() == null;
        return sure ? m.getReturnType().getSimpleName() : "?";
    }
}
"""

# Every exported java.* and javax.* package and its public top-level classes (`PACKAGE NAME ...`).
_PACKAGES_PROGRAM = r"""
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.*;
import java.util.*;
import java.util.stream.*;

public class JdkPackages {
    public static void main(String[] args) throws Exception {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (Module module : ModuleLayer.boot().modules()) {
            for (ModuleDescriptor.Exports export : module.getDescriptor().exports()) {
                String pkg = export.source();
                if (export.isQualified() || !(pkg.startsWith("java.") || pkg.startsWith("javax."))) continue;
                TreeSet<String> names = new TreeSet<>();
                try (Stream<Path> files = Files.list(jrt.getPath("/modules", module.getName(), pkg.replace('.', '/')))) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String file = f.getFileName().toString();
                        if (!file.endsWith(".class") || file.contains("$") || file.contains("-info")) continue;
                        String name = file.substring(0, file.length() - ".class".length());
                        try {
                            Class<?> c = Class.forName(pkg + "." + name, false, ClassLoader.getSystemClassLoader());
                            if (Modifier.isPublic(c.getModifiers())) names.add(name);
                        } catch (Throwable e) { }
                    }
                }
                System.out.println(pkg + " " + String.join(" ", names));
            }
        }
    }
}
"""

# Run on the last JDK given: for each release from 8 to its own, the public members of each class of
# the packages as `javac --release N` sees them (`N PACKAGE CLASS name() name/N <new>/N FIELD ...`).
_RELEASES_PROGRAM = r"""
import java.util.*;
import javax.lang.model.element.*;
import javax.lang.model.util.Elements;
import javax.tools.ToolProvider;
import com.sun.source.util.JavacTask;

public class JdkReleases {
    public static void main(String[] packages) {
        for (int release = 8; release <= Runtime.version().feature(); release++) {
            JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler().getTask(
                null, null, null, List.of("--release", "" + release, "-proc:none", "-Xlint:-options"), null, null);
            Elements elements = task.getElements();
            for (String pkg : packages) {
                PackageElement p = elements.getPackageElement(pkg);
                if (p == null) continue;
                for (Element c : p.getEnclosedElements()) {
                    if (!(c instanceof TypeElement) || !c.getModifiers().contains(Modifier.PUBLIC)) continue;
                    describe(release, pkg, c.getSimpleName().toString(), (TypeElement) c, elements);
                    for (Element nested : c.getEnclosedElements())  // `Map.Entry`, as JdkIndex names it
                        if (nested instanceof TypeElement && nested.getModifiers().contains(Modifier.PUBLIC))
                            describe(release, pkg, c.getSimpleName() + "." + nested.getSimpleName(),
                                     (TypeElement) nested, elements);
                }
            }
        }
    }

    static void describe(int release, String pkg, String name, TypeElement c, Elements elements) {
        StringBuilder line = new StringBuilder(release + " " + pkg + " " + name);
        for (Element m : elements.getAllMembers(c)) {
            if (!m.getModifiers().contains(Modifier.PUBLIC)) continue;
            String member = m.getSimpleName().toString();
            if (m instanceof ExecutableElement) {
                ExecutableElement x = (ExecutableElement) m;
                String count = x.getParameters().size() + (x.isVarArgs() ? "+" : "");
                if (m.getKind() == ElementKind.CONSTRUCTOR) line.append(" <new>/").append(count);
                else if (m.getKind() == ElementKind.METHOD)
                    line.append(" " + member + "() " + member + "/" + count);
            } else {
                line.append(" ").append(member);
            }
        }
        System.out.println(line);
    }
}
"""


@dataclass
class ClassFacts:
    """One class's line of the index."""

    superclass: str
    members: set[str] = field(default_factory=set)
    statics: set[str] = field(default_factory=set)
    arities: set[str] = field(default_factory=set)
    throws: dict[str, frozenset[str]] = field(default_factory=dict)  # arity -> what its overloads all declare
    returns: dict[str, set[str]] = field(default_factory=dict)  # arity -> what its overloads return ("?": unknown)
    # arity -> {each overload's parameter types ("File", "String,int"): the checked exceptions it declares}
    overloads: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    since: dict[str, int] = field(default_factory=dict)  # "" (the class), member or arity -> release, after 8
    interfaces: set[str] = field(default_factory=set)  # every interface it is of


def read_index(lines) -> dict[tuple[str, str], ClassFacts]:
    """{(package, class): its facts} of index lines (or of a JDK's answer, which writes an arity
    once per overload: what its overloads all declare is kept)."""
    from assertgen.jdk import index_sections, index_word, split_return

    index = {}
    for line in lines:
        if line.strip():
            words, statics, arities, overloads, interfaces = index_sections(line)
            (name, class_since, _), superclass = index_word(words[1]), words[2]
            facts = index[(words[0], name)] = ClassFacts(superclass, statics={index_word(w)[0] for w in statics})
            if class_since:
                facts.since[""] = class_since
            for word in words[3:]:
                member, since, _ = index_word(word)
                facts.members.add(member)
                if since:
                    facts.since[member] = since
            for word in arities:
                arity, since, thrown = index_word(word)
                arity, returned = split_return(arity)
                if returned != "-":  # (a bridge's)
                    facts.returns.setdefault(arity, set()).add(returned or "?")
                facts.throws[arity] = facts.throws[arity] & thrown if arity in facts.arities else thrown
                facts.arities.add(arity)
                if since:
                    facts.since[arity] = since
            facts.throws = {key: thrown for key, thrown in facts.throws.items() if thrown}
            for word in overloads:
                key, _, thrown = index_word(word)
                arity, _, params = key.partition("=")
                facts.overloads.setdefault(arity, {})[params] = thrown
            facts.interfaces.update(interfaces)
    return index


def ask_jdk(java: str) -> dict[tuple[str, str], ClassFacts]:
    """The index of one JDK (`java`: its launcher, Java 11 or later for a source file)."""
    return read_index(_run(java, "JdkIndex", _PROGRAM).splitlines())


def _run(java: str, name: str, program: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{name}.java"
        source.write_text(program)
        run = subprocess.run([java, str(source), *PACKAGES], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise SystemExit(f"{java}: {run.stderr.strip()}")
    return run.stdout


def ask_packages(java: str) -> dict[str, frozenset[str]]:
    """{package: its public top-level classes} of every exported java.* and javax.* package of one JDK."""
    from assertgen.jdk import read_packages

    return read_packages(_run(java, "JdkPackages", _PACKAGES_PROGRAM).splitlines())


def first_releases(java: str) -> dict[tuple[str, str], dict[str, int]]:
    """{(package, class): {"" (the class), member or arity: the first release whose API has it}},
    of each release from 8 to the JDK's own, as its javac's `--release` sees them."""
    first: dict[tuple[str, str], dict[str, int]] = {}
    for line in _run(java, "JdkReleases", _RELEASES_PROGRAM).splitlines():
        release, package, name, *words = line.split()
        seen = first.setdefault((package, name), {})
        for word in ["", *words]:
            seen.setdefault(word, int(release))
        # (releases come in order: the first one written stays)
    return first


def mark_releases(index: dict[tuple[str, str], ClassFacts], first: dict[tuple[str, str], dict[str, int]]) -> None:
    """Set each class's `since`: where its class, a member or an arity came after 8 (a member only
    when later than its class, an arity only when later than its method's name); what the
    compiler does not list (an interface's Object methods, a bridge) is left as old as its class."""
    for key, facts in index.items():
        seen = first.get(key, {})
        class_release = max(seen.get("", 8), 8)
        facts.since = {"": class_release} if class_release > 8 else {}
        member_release = {}
        for member in facts.members:
            member_release[member] = max(seen.get(member, class_release), class_release)
            if member_release[member] > class_release:
                facts.since[member] = member_release[member]
        for arity in facts.arities:
            name = arity.split("/")[0]
            known = member_release.get(f"{name}()", class_release)
            if seen.get(arity, known) > known:
                facts.since[arity] = seen[arity]


def union(indexes: list[dict[tuple[str, str], ClassFacts]]) -> dict[tuple[str, str], ClassFacts]:
    """Every class, member and arity of any JDK; of an arity's exceptions, what all JDKs that have
    it declare; of its return types, what any JDK returns."""
    merged: dict[tuple[str, str], ClassFacts] = {}
    for index in indexes:
        for key, facts in index.items():
            had = merged.setdefault(key, ClassFacts(facts.superclass))
            throws = {arity: facts.throws.get(arity, frozenset()) & had.throws.get(arity, frozenset())
                      if arity in had.arities else facts.throws.get(arity, frozenset()) for arity in facts.arities}
            throws.update({arity: had.throws[arity] for arity in had.throws if arity not in facts.arities})
            had.members |= facts.members
            had.interfaces |= facts.interfaces
            had.statics |= facts.statics
            had.arities |= facts.arities
            had.throws = {arity: thrown for arity, thrown in throws.items() if thrown}
            for arity, returned in facts.returns.items():
                had.returns.setdefault(arity, set()).update(returned)
            for arity, by_params in facts.overloads.items():
                known = had.overloads.setdefault(arity, {})
                for params, thrown in by_params.items():
                    known[params] = known[params] & thrown if params in known else thrown
    return merged


def index_lines(index: dict[tuple[str, str], ClassFacts]) -> list[str]:
    def thrown_suffix(thrown: frozenset[str]) -> str:
        return "!" + ",".join(sorted(thrown)) if thrown else ""

    def word(key: str, facts: ClassFacts) -> str:
        returned = facts.returns.get(key, set())
        sure = f":{next(iter(returned))}" if len(returned) == 1 and returned != {"?"} else ""
        since = f"@{facts.since[key]}" if key in facts.since else ""
        return key + sure + since + thrown_suffix(facts.throws.get(key, frozenset()))

    def differing(facts: ClassFacts) -> list[str]:
        """The overloads of the arities whose overloads differ in what they throw."""
        return [f"{arity}={params}" + thrown_suffix(thrown)
                for arity, by_params in sorted(facts.overloads.items()) if len(set(by_params.values())) > 1
                for params, thrown in sorted(by_params.items())]

    return [" ".join([package, name + (f"@{f.since['']}" if "" in f.since else ""), f.superclass,
                      *(word(m, f) for m in sorted(f.members)), "|", *sorted(f.statics), "|",
                      *(word(a, f) for a in sorted(f.arities)), "|", *differing(f), "|", *sorted(f.interfaces)])
            for (package, name), f in sorted(index.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("java", nargs="+", help="the `java` launcher of each JDK to ask")
    parser.add_argument("--out", default=str(OUT), help=f"index file (default {OUT})")
    parser.add_argument("--packages-out", default=str(PACKAGES_OUT), help=f"package list (default {PACKAGES_OUT})")
    args = parser.parse_args()
    index = union([ask_jdk(java) for java in args.java])
    mark_releases(index, first_releases(args.java[-1]))
    write_gzip(args.out, index_lines(index))
    packages: dict[str, set[str]] = {}
    for java in args.java:
        for package, names in ask_packages(java).items():
            packages.setdefault(package, set()).update(names)
    write_gzip(args.packages_out, [" ".join([package, *sorted(names)]) for package, names in sorted(packages.items())])
    print(f"{len(index)} classes -> {args.out}; {len(packages)} packages -> {args.packages_out}")


def write_gzip(path: str, lines: list[str]) -> None:
    # mtime 0: the same JDKs give the same bytes, so a regenerated file shows no spurious diff
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode())


if __name__ == "__main__":
    main()
