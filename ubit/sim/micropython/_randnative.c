/* The V2's random generator in C: random.py's fast path (issue 17).
 *
 * MicroPython's Yasmarang (extmod/modurandom.c: ``yasmarang`` and
 * ``yasmarang_randbelow``) made in Python costs half a microsecond a word, and the
 * public functions around it as much again: ``randint`` in a loop ran 3 times as long as
 * under CPython. This module's ``Yasmarang`` holds the same state (pad, n, d, dat) and
 * gives the same words, one at a time, as random.py's ``Yasmarang`` (its tests compare
 * them for many seeds); its ``randint``, ``randrange``, ``choice`` and ``getrandbits``
 * do the common case (plain ints within a machine word, the built-in sequences; choice
 * gives the index) and return None for anything else, which random.py hands to its checked functions, which
 * draw from this same generator.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef struct {
    PyObject_HEAD
    uint32_t pad, n, d, dat;
    long long word_limit; /* plain ints in [-word_limit, word_limit) take the fast path */
} Gen;

static void restart(Gen *g, uint32_t seed)
{
    g->pad = seed;
    g->n = 69;
    g->d = 233;
    g->dat = 0;
}

/* One word: pad = rotl3(pad + dat + d * n); n = pad | 2; d ^= rotr1(pad); dat is 8 bits. */
static uint32_t next_word(Gen *g)
{
    uint32_t pad = g->pad + g->dat + g->d * g->n;
    pad = (pad << 3) | (pad >> 29);
    g->pad = pad;
    g->n = pad | 2;
    g->d ^= (pad << 31) | (pad >> 1);
    g->dat = (g->dat ^ (pad & 0xFF) ^ (g->d >> 8) ^ 1) & 0xFF;
    return pad ^ (g->d << 5) ^ (pad >> 18) ^ (g->dat << 1);
}

/* A number below ``n`` (> 0): a word masked to the bits of ``n``, tried until below it. */
static uint64_t below(Gen *g, uint64_t n)
{
    uint64_t mask = 1;
    while ((n & mask) < n)
        mask = (mask << 1) | 1;
    for (;;) {
        uint64_t r = next_word(g) & mask;
        if (r < n)
            return r;
    }
}

/* ``o`` as a C long long if it is a plain int within the machine word, else 0. */
static int plain(Gen *g, PyObject *o, long long *out)
{
    int overflow;
    long long v;
    if (!PyLong_CheckExact(o))
        return 0;
    v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow || v < -g->word_limit || v >= g->word_limit)
        return 0;
    *out = v;
    return 1;
}

static int Gen_init(Gen *g, PyObject *args, PyObject *kwds)
{
    PyObject *seed;
    long long word_limit = 1LL << 31;
    static char *names[] = {"seed", "word_limit", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|L", names, &seed, &word_limit))
        return -1;
    if (!PyLong_Check(seed)) {
        PyErr_SetString(PyExc_TypeError, "seed must be an int");
        return -1;
    }
    restart(g, (uint32_t)PyLong_AsUnsignedLongLongMask(seed));
    g->word_limit = word_limit;
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *Gen_seed(Gen *g, PyObject *value)
{
    unsigned long long bits;
    if (!PyLong_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "seed must be an int");
        return NULL;
    }
    bits = PyLong_AsUnsignedLongLongMask(value); /* value & 0xFFFFFFFF, negatives too */
    if (bits == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    restart(g, (uint32_t)bits);
    Py_RETURN_NONE;
}

static PyObject *Gen_word(Gen *g, PyObject *Py_UNUSED(unused))
{
    return PyLong_FromUnsignedLong(next_word(g));
}

static PyObject *Gen_below(Gen *g, PyObject *n)
{
    unsigned long long size = PyLong_AsUnsignedLongLong(n);
    if (size == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    if (size == 0) {
        PyErr_SetString(PyExc_ValueError, "below(0)");
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(below(g, size));
}

static PyObject *Gen_fraction(Gen *g, PyObject *Py_UNUSED(unused))
{
    return PyFloat_FromDouble((double)(next_word(g) & 0x7FFFFF) / (double)(1 << 23));
}

static PyObject *Gen_randint(Gen *g, PyObject *const *args, Py_ssize_t nargs)
{
    long long a, b;
    if (nargs != 2 || !plain(g, args[0], &a) || !plain(g, args[1], &b) || a > b)
        Py_RETURN_NONE;
    return PyLong_FromLongLong(a + (long long)below(g, (uint64_t)(b - a + 1)));
}

/* randrange(stop) or randrange(start, stop): random.py passes no step here. */
static PyObject *Gen_randrange(Gen *g, PyObject *const *args, Py_ssize_t nargs)
{
    long long start = 0, stop;
    if (nargs == 1) {
        if (!plain(g, args[0], &stop))
            Py_RETURN_NONE;
    } else if (nargs != 2 || !plain(g, args[0], &start) || !plain(g, args[1], &stop)) {
        Py_RETURN_NONE;
    }
    if (stop <= start)
        Py_RETURN_NONE;
    return PyLong_FromLongLong(start + (long long)below(g, (uint64_t)(stop - start)));
}

/* The index of the item choice(seq) takes (random.py takes it: an item may be None). */
static PyObject *Gen_choice(Gen *g, PyObject *seq)
{
    PyTypeObject *t = Py_TYPE(seq);
    Py_ssize_t size;
    if (t != &PyList_Type && t != &PyTuple_Type && t != &PyUnicode_Type &&
            t != &PyBytes_Type && t != &PyByteArray_Type && t != &PyRange_Type)
        Py_RETURN_NONE;
    size = PyObject_Size(seq); /* a range too long for it raises, as len() does */
    if (size < 0)
        return NULL;
    if (size == 0)
        Py_RETURN_NONE;
    return PyLong_FromUnsignedLongLong(below(g, (uint64_t)size));
}

static PyObject *Gen_getrandbits(Gen *g, PyObject *n)
{
    long long bits;
    if (!plain(g, n, &bits) || bits <= 0 || bits > 32)
        Py_RETURN_NONE;
    return PyLong_FromUnsignedLong(next_word(g) & (0xFFFFFFFFu >> (32 - bits)));
}

static PyMethodDef Gen_methods[] = {
    {"seed", (PyCFunction)Gen_seed, METH_O, "Restart from ``value`` (its low 32 bits)."},
    {"word", (PyCFunction)Gen_word, METH_NOARGS, "32 random bits."},
    {"below", (PyCFunction)Gen_below, METH_O, "A number in ``range(n)`` (``n`` > 0)."},
    {"fraction", (PyCFunction)Gen_fraction, METH_NOARGS,
     "A float in [0, 1) from 23 mantissa bits."},
    {"randint", (PyCFunction)(void (*)(void))Gen_randint, METH_FASTCALL,
     "randint(a, b) of plain ints; None for anything else."},
    {"randrange", (PyCFunction)(void (*)(void))Gen_randrange, METH_FASTCALL,
     "randrange(stop) or randrange(start, stop) of plain ints; None for anything else."},
    {"choice", (PyCFunction)Gen_choice, METH_O,
     "The index choice(seq) takes in a non-empty built-in sequence; None for anything "
     "else."},
    {"getrandbits", (PyCFunction)Gen_getrandbits, METH_O,
     "getrandbits(n) for a plain int n from 1 to 32; None for anything else."},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject GenType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ubit.sim.micropython._randnative.Yasmarang",
    .tp_doc = "MicroPython's Yasmarang generator (the V2's random numbers).",
    .tp_basicsize = sizeof(Gen),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Gen_init,
    .tp_methods = Gen_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_randnative",
    "The V2's random generator (Yasmarang) in C: random.py's fast path.", -1, NULL,
};

PyMODINIT_FUNC PyInit__randnative(void)
{
    PyObject *m;
    if (PyType_Ready(&GenType) < 0)
        return NULL;
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&GenType);
    if (PyModule_AddObject(m, "Yasmarang", (PyObject *)&GenType) < 0) {
        Py_DECREF(&GenType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
