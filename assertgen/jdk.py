"""What `assertgen fill`'s checks know of the JDK: the classes a test may name without their
package, the members of String, arrays and every object, the constants of common classes, and
the unchecked exceptions. Java 17, and what Java 21 added; the lists of classes and constants were
checked against the JDK by reflection.
"""

# java.lang's public classes (Java 17, and what Java 21 added): a generated assertion may use them
# without an import (unless a class of the project of that name hides one, see `Scope.classes`).
JAVA_LANG = frozenset("""
AbstractMethodError Appendable ArithmeticException ArrayIndexOutOfBoundsException ArrayStoreException
AssertionError AutoCloseable Boolean BootstrapMethodError Byte CharSequence Character Class ClassCastException
ClassCircularityError ClassFormatError ClassLoader ClassNotFoundException ClassValue
CloneNotSupportedException Cloneable Comparable Compiler Deprecated Double Enum
EnumConstantNotPresentException Error Exception ExceptionInInitializerError Float FunctionalInterface
IllegalAccessError IllegalAccessException IllegalArgumentException IllegalCallerException
IllegalMonitorStateException IllegalStateException IllegalThreadStateException IncompatibleClassChangeError
IndexOutOfBoundsException InheritableThreadLocal InstantiationError InstantiationException Integer
InternalError InterruptedException Iterable LayerInstantiationException LinkageError Long MatchException Math
Module ModuleLayer NegativeArraySizeException NoClassDefFoundError NoSuchFieldError NoSuchFieldException
NoSuchMethodError NoSuchMethodException NullPointerException Number NumberFormatException Object
OutOfMemoryError Override Package Process ProcessBuilder ProcessHandle Readable Record
ReflectiveOperationException Runnable Runtime RuntimeException RuntimePermission SafeVarargs SecurityException
SecurityManager Short StackOverflowError StackTraceElement StackWalker StrictMath String StringBuffer
StringBuilder StringIndexOutOfBoundsException SuppressWarnings System Thread ThreadDeath ThreadGroup
ThreadLocal Throwable TypeNotPresentException UnknownError UnsatisfiedLinkError UnsupportedClassVersionError
UnsupportedOperationException VerifyError VirtualMachineError Void WrongThreadException
""".split())

# Classes of JDK packages that tests import with `import java.util.*;` and the like, which a
# generated assertion may use; a class not listed stays unknown (the candidate is rejected).
JDK_PACKAGE_TYPES = {package: frozenset(names.split()) for package, names in {
    "java.util": """List ArrayList LinkedList Map HashMap LinkedHashMap TreeMap Set HashSet LinkedHashSet
        TreeSet SortedMap SortedSet NavigableMap NavigableSet Collection Collections Arrays Objects Optional
        OptionalInt OptionalLong OptionalDouble Iterator ListIterator Queue Deque ArrayDeque PriorityQueue
        Stack Vector Hashtable EnumSet EnumMap BitSet Comparator Random UUID Date Calendar Locale Properties
        StringJoiner Base64 Scanner NoSuchElementException ConcurrentModificationException""",
    "java.util.stream": "Stream IntStream LongStream DoubleStream Collectors",
    "java.util.function": """Function BiFunction Supplier Consumer BiConsumer Predicate BiPredicate
        UnaryOperator BinaryOperator""",
    "java.util.concurrent": """TimeUnit Future CompletableFuture ExecutionException TimeoutException
        Callable Executors ExecutorService ConcurrentHashMap CopyOnWriteArrayList CountDownLatch""",
    "java.util.concurrent.atomic": "AtomicInteger AtomicLong AtomicBoolean AtomicReference",
    "java.io": """File IOException UncheckedIOException FileNotFoundException EOFException InputStream
        OutputStream ByteArrayInputStream ByteArrayOutputStream Reader Writer StringReader StringWriter
        BufferedReader PrintStream PrintWriter Serializable Closeable""",
    "java.nio.file": "Path Paths Files NoSuchFileException",
    "java.nio.charset": "Charset StandardCharsets",
    "java.math": "BigDecimal BigInteger RoundingMode MathContext",
    "java.time": """Duration Instant Period Clock LocalDate LocalDateTime LocalTime ZonedDateTime
        OffsetDateTime ZoneId ZoneOffset DayOfWeek Month Year YearMonth""",
    "java.net": "URI URL URISyntaxException MalformedURLException",
}.items()}

# Members every class, interface and enum has; those an enum has besides.
OBJECT_MEMBERS = frozenset("equals hashCode toString getClass notify notifyAll wait".split())
ENUM_MEMBERS = frozenset("values valueOf name ordinal compareTo getDeclaringClass describeConstable".split())
# String's members (Java 21): tests hold strings most, and a model takes one for a collection (`s.size()`).
STRING_MEMBERS = OBJECT_MEMBERS | frozenset("""valueOf copyValueOf format join CASE_INSENSITIVE_ORDER
length isEmpty isBlank charAt codePointAt codePointBefore codePointCount offsetByCodePoints getChars getBytes
contentEquals equalsIgnoreCase compareTo compareToIgnoreCase regionMatches startsWith endsWith indexOf
lastIndexOf substring subSequence concat replace replaceFirst replaceAll matches contains split
splitWithDelimiters toLowerCase toUpperCase trim strip stripLeading stripTrailing lines indent stripIndent
translateEscapes transform describeConstable resolveConstantDesc chars codePoints toCharArray formatted
intern repeat""".split())
ARRAY_MEMBERS = OBJECT_MEMBERS | {"length", "clone"}
PRIMITIVES = frozenset("boolean byte char short int long float double".split())  # they have none
# Every constant (UPPER_CASE public static field, enum constant) of the JDK classes above, as
# reflection lists them (Java 17, and what Java 21 added): a class missing here has none, and
# another UPPER_CASE name on them does not exist (a reused `Color.BLUE` whose class was
# renamed to the test's `Optional` became `Optional.BLUE`: javac, cannot find symbol).
_NUMBER_CONSTANTS = "MAX_VALUE MIN_VALUE SIZE BYTES TYPE"
_FLOAT_CONSTANTS = _NUMBER_CONSTANTS + " NaN POSITIVE_INFINITY NEGATIVE_INFINITY MIN_NORMAL MAX_EXPONENT MIN_EXPONENT"
_UNITS = "NANOSECONDS MICROSECONDS MILLISECONDS SECONDS MINUTES HOURS DAYS"
_DAYS = "MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY"
_MONTHS = "JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER"
_CHARACTER_CATEGORIES = """COMBINING_SPACING_MARK CONNECTOR_PUNCTUATION CONTROL CURRENCY_SYMBOL DASH_PUNCTUATION
DECIMAL_DIGIT_NUMBER ENCLOSING_MARK END_PUNCTUATION FINAL_QUOTE_PUNCTUATION FORMAT INITIAL_QUOTE_PUNCTUATION
LETTER_NUMBER LINE_SEPARATOR LOWERCASE_LETTER MATH_SYMBOL MODIFIER_LETTER MODIFIER_SYMBOL NON_SPACING_MARK
OTHER_LETTER OTHER_NUMBER OTHER_PUNCTUATION OTHER_SYMBOL PARAGRAPH_SEPARATOR PRIVATE_USE SPACE_SEPARATOR
START_PUNCTUATION SURROGATE TITLECASE_LETTER UNASSIGNED UPPERCASE_LETTER """ + " ".join("DIRECTIONALITY_" + d for d in """
ARABIC_NUMBER BOUNDARY_NEUTRAL COMMON_NUMBER_SEPARATOR EUROPEAN_NUMBER EUROPEAN_NUMBER_SEPARATOR
EUROPEAN_NUMBER_TERMINATOR FIRST_STRONG_ISOLATE LEFT_TO_RIGHT LEFT_TO_RIGHT_EMBEDDING LEFT_TO_RIGHT_ISOLATE
LEFT_TO_RIGHT_OVERRIDE NONSPACING_MARK OTHER_NEUTRALS PARAGRAPH_SEPARATOR POP_DIRECTIONAL_FORMAT
POP_DIRECTIONAL_ISOLATE RIGHT_TO_LEFT RIGHT_TO_LEFT_ARABIC RIGHT_TO_LEFT_EMBEDDING RIGHT_TO_LEFT_ISOLATE
RIGHT_TO_LEFT_OVERRIDE SEGMENT_SEPARATOR UNDEFINED WHITESPACE""".split())
_CALENDAR = """ERA YEAR MONTH WEEK_OF_YEAR WEEK_OF_MONTH DATE DAY_OF_MONTH DAY_OF_YEAR DAY_OF_WEEK
DAY_OF_WEEK_IN_MONTH AM_PM HOUR HOUR_OF_DAY MINUTE SECOND MILLISECOND ZONE_OFFSET DST_OFFSET FIELD_COUNT AM PM
UNDECIMBER ALL_STYLES SHORT LONG NARROW_FORMAT NARROW_STANDALONE SHORT_FORMAT LONG_FORMAT SHORT_STANDALONE
LONG_STANDALONE """ + _DAYS + " " + _MONTHS
JDK_CONSTANTS = {type_name: frozenset(names.split()) for type_name, names in {
    "Integer": _NUMBER_CONSTANTS, "Long": _NUMBER_CONSTANTS, "Short": _NUMBER_CONSTANTS, "Byte": _NUMBER_CONSTANTS,
    "Character": _NUMBER_CONSTANTS + " MIN_RADIX MAX_RADIX MIN_CODE_POINT MAX_CODE_POINT MIN_SUPPLEMENTARY_CODE_POINT "
                 "MIN_HIGH_SURROGATE MAX_HIGH_SURROGATE MIN_LOW_SURROGATE MAX_LOW_SURROGATE MIN_SURROGATE MAX_SURROGATE "
                 + _CHARACTER_CATEGORIES,
    "Double": _FLOAT_CONSTANTS + " PRECISION", "Float": _FLOAT_CONSTANTS + " PRECISION",  # PRECISION: Java 19
    "Boolean": "TRUE FALSE TYPE", "Void": "TYPE", "Math": "PI E TAU", "String": "CASE_INSENSITIVE_ORDER",
    "StrictMath": "PI E TAU", "Thread": "MIN_PRIORITY NORM_PRIORITY MAX_PRIORITY", "Calendar": _CALENDAR,
    "BigDecimal": "ZERO ONE TWO TEN ROUND_UP ROUND_DOWN ROUND_CEILING ROUND_FLOOR ROUND_HALF_UP ROUND_HALF_DOWN "
                  "ROUND_HALF_EVEN ROUND_UNNECESSARY", "BigInteger": "ZERO ONE TWO TEN",
    "RoundingMode": "UP DOWN CEILING FLOOR HALF_UP HALF_DOWN HALF_EVEN UNNECESSARY",
    "MathContext": "UNLIMITED DECIMAL32 DECIMAL64 DECIMAL128",
    "Collections": "EMPTY_LIST EMPTY_MAP EMPTY_SET", "TimeUnit": _UNITS,
    "StandardCharsets": "UTF_8 US_ASCII ISO_8859_1 UTF_16 UTF_16BE UTF_16LE",
    "Locale": "ENGLISH FRENCH GERMAN ITALIAN JAPANESE KOREAN CHINESE SIMPLIFIED_CHINESE TRADITIONAL_CHINESE "
              "FRANCE GERMANY ITALY JAPAN KOREA CHINA PRC TAIWAN UK US CANADA CANADA_FRENCH ROOT "
              "PRIVATE_USE_EXTENSION UNICODE_LOCALE_EXTENSION",
    "Duration": "ZERO", "Period": "ZERO", "Instant": "EPOCH MIN MAX", "LocalDate": "MIN MAX EPOCH",
    "LocalDateTime": "MIN MAX", "OffsetDateTime": "MIN MAX", "LocalTime": "MIN MAX MIDNIGHT NOON",
    "ZoneId": "SHORT_IDS", "ZoneOffset": "UTC MIN MAX SHORT_IDS",
    "DayOfWeek": _DAYS, "Month": _MONTHS, "Year": "MIN_VALUE MAX_VALUE",
}.items()}

# The JDK's exceptions a method may throw without the caller declaring them (RuntimeException's,
# Error's, of the packages tests use; Java 17, and what Java 21 added): any other exception a focal
# method declares counts as checked, unless it is a project's class extending one (`_is_unchecked`).
UNCHECKED_EXCEPTIONS = frozenset("""
AbstractMethodError ArithmeticException ArrayIndexOutOfBoundsException ArrayStoreException AssertionError
BootstrapMethodError BufferOverflowException BufferUnderflowException CancellationException ClassCastException
ClassCircularityError ClassFormatError ClosedDirectoryStreamException ClosedFileSystemException
ClosedWatchServiceException CoderMalfunctionError CompletionException ConcurrentModificationException
DateTimeException DateTimeParseException DirectoryIteratorException DuplicateFormatFlagsException
EmptyStackException EnumConstantNotPresentException Error ExceptionInInitializerError
FileSystemAlreadyExistsException FileSystemNotFoundException FormatFlagsConversionMismatchException
FormatterClosedException GenericSignatureFormatError IOError IllegalAccessError IllegalArgumentException
IllegalCallerException IllegalCharsetNameException IllegalFormatCodePointException
IllegalFormatConversionException IllegalFormatException IllegalFormatFlagsException
IllegalFormatPrecisionException IllegalFormatWidthException IllegalMonitorStateException IllegalStateException
IllegalThreadStateException IllformedLocaleException InaccessibleObjectException IncompatibleClassChangeError
IndexOutOfBoundsException InputMismatchException InstantiationError InternalError InvalidMarkException
InvalidPathException LayerInstantiationException LinkageError MalformedParameterizedTypeException
MalformedParametersException MatchException MissingFormatArgumentException MissingFormatWidthException
MissingResourceException NegativeArraySizeException NoClassDefFoundError NoSuchElementException
NoSuchFieldError NoSuchMethodError NullPointerException NumberFormatException OutOfMemoryError
PatternSyntaxException ProviderMismatchException ProviderNotFoundException ReadOnlyBufferException
ReadOnlyFileSystemException RejectedExecutionException RuntimeException SecurityException
ServiceConfigurationError StackOverflowError StringIndexOutOfBoundsException ThreadDeath
TypeNotPresentException UncheckedIOException UndeclaredThrowableException UnknownError
UnknownFormatConversionException UnknownFormatFlagsException UnsatisfiedLinkError UnsupportedCharsetException
UnsupportedClassVersionError UnsupportedOperationException UnsupportedTemporalTypeException VerifyError
VirtualMachineError WrongThreadException
""".split())

# The superclass of the JDK's checked exceptions tests meet most (java.io, java.net, java.nio.file,
# java.util.concurrent, java.lang.reflect, java.sql, java.text, java.security, javax.xml): how far
# a test's `throws IOException` reaches (`checks._uncovered`). Throwable is the root.
CHECKED_EXCEPTION_PARENTS = {
    "Exception": "Throwable", "IOException": "Exception",
    **dict.fromkeys("""FileNotFoundException EOFException FileSystemException MalformedURLException
        UnknownHostException SocketException InterruptedIOException UnsupportedEncodingException
        CharacterCodingException ObjectStreamException ProtocolException""".split(), "IOException"),
    **dict.fromkeys("""NoSuchFileException FileAlreadyExistsException AccessDeniedException
        DirectoryNotEmptyException NotDirectoryException""".split(), "FileSystemException"),
    "ConnectException": "SocketException", "SocketTimeoutException": "InterruptedIOException",
    "NotSerializableException": "ObjectStreamException", "InvalidClassException": "ObjectStreamException",
    "ReflectiveOperationException": "Exception",
    **dict.fromkeys("""ClassNotFoundException NoSuchMethodException NoSuchFieldException IllegalAccessException
        InstantiationException InvocationTargetException""".split(), "ReflectiveOperationException"),
    **dict.fromkeys("""URISyntaxException InterruptedException ExecutionException TimeoutException
        BrokenBarrierException CloneNotSupportedException ParseException SQLException GeneralSecurityException
        TransformerException SAXException ParserConfigurationException XMLStreamException""".split(), "Exception"),
    **dict.fromkeys("NoSuchAlgorithmException KeyException CertificateException".split(), "GeneralSecurityException"),
    "InvalidKeyException": "KeyException", "SQLTransientException": "SQLException",
    "SQLTimeoutException": "SQLTransientException",
}
