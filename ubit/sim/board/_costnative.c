/* The cost model's meter in C: its charges' fast path (issue 18).
 *
 * ``ubit.sim.board.cost`` keeps the nanoseconds a program's code has charged; the cost
 * model (ubit/sim/micropython/costmodel.py) compiles a charge into each loop body and function body. As
 * Python, ``meter[0] = meter[0] + ns`` is eight instructions: two a call of a small
 * method paid, a third of its time. Here the meter is a ``Meter`` holding the count
 * as a C integer, read and reset by the board's clock as the list it replaces
 * (``meter[0]``, ``meter[1]``), and its ``Charger`` adds ``ns`` to it when subscripted:
 * ``charger[ns]`` is three instructions and a C call, and no new int object.
 * The sums are the same integers as the list's, so board times don't change.
 *
 * A comprehension's charge for its items is a C call too (``charger.each``), and two
 * fused forms take a charge out of the byte-code altogether (costmodel.py and
 * stackmodel.py compile them in where this meter is C's):
 * - ``charger.steps(iterable, ns)``: a ``for`` loop's iterator that charges ``ns`` as it
 *   gives each item, in place of a charge at the top of the loop's body (the same count:
 *   one per item the body gets, charged before the body runs);
 * - ``charger.gate(stack, top)[ns]``: a function's entry, the stack model's check and the
 *   cost model's charge in one: true (nothing charged) if ``stack[0] > top``, else
 *   ``ns`` charged and false; compiled as ``if gate[ns]: raise overflow()``.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    long long slot[2]; /* cost.SPENT, cost.POLL */
} Meter;

typedef struct {
    PyObject_HEAD
    Meter *meter;
} Charger;

typedef struct {
    PyObject_HEAD
    Meter *meter;
    PyObject *it;   /* the loop's own iterator */
    long long ns;   /* charged for each item it gives */
} Steps;

typedef struct {
    PyObject_HEAD
    Meter *meter;
    PyObject *stack;  /* stackmodel.STACK: bytes in use at [0] */
    PyObject *top;    /* the bytes a call may find in use below it */
    long long top_value;
} Gate;

static PyTypeObject MeterType;
static PyTypeObject ChargerType;
static PyTypeObject StepsType;
static PyTypeObject GateType;

/* ``value`` as a C integer: a one-digit int read directly (CPython 3.11's layout, where
 * the ns compiled in always are), else PyLong_AsLongLong; -1 with an error set on failure. */
static long long as_long_long(PyObject *value)
{
#if PY_VERSION_HEX < 0x030C0000
    if (PyLong_CheckExact(value)) {
        Py_ssize_t size = Py_SIZE(value);
        if (size == 0)
            return 0;
        if (size == 1)
            return (long long)((PyLongObject *)value)->ob_digit[0];
        if (size == -1)
            return -(long long)((PyLongObject *)value)->ob_digit[0];
    }
#endif
    return PyLong_AsLongLong(value);
}

/* Add ``ns`` to the meter's spent time; -1 with OverflowError set if it doesn't fit. */
static int charge(Meter *m, long long ns)
{
    if (__builtin_add_overflow(m->slot[0], ns, &m->slot[0])) {
        PyErr_SetString(PyExc_OverflowError, "the board's meter overflowed");
        return -1;
    }
    return 0;
}

/* ``meter[i]``'s slot, or -1 with IndexError/TypeError set. */
static int slot_of(PyObject *key)
{
    Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred())
        return -1;
    if (i < 0)
        i += 2;
    if (i < 0 || i > 1) {
        PyErr_SetString(PyExc_IndexError, "meter index out of range");
        return -1;
    }
    return (int)i;
}

static Py_ssize_t meter_length(PyObject *self)
{
    return 2;
}

static PyObject *meter_getitem(PyObject *self, PyObject *key)
{
    int i = slot_of(key);
    if (i < 0)
        return NULL;
    return PyLong_FromLongLong(((Meter *)self)->slot[i]);
}

static int meter_setitem(PyObject *self, PyObject *key, PyObject *value)
{
    long long v;
    int i;
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "a meter's slots can't be deleted");
        return -1;
    }
    i = slot_of(key);
    if (i < 0)
        return -1;
    v = PyLong_AsLongLong(value);
    if (v == -1 && PyErr_Occurred())
        return -1;
    ((Meter *)self)->slot[i] = v;
    return 0;
}

static PyObject *meter_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    Meter *m;
    if ((kwargs != NULL && PyDict_GET_SIZE(kwargs)) || !PyArg_ParseTuple(args, ":Meter")) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "Meter() takes no arguments");
        return NULL;
    }
    m = (Meter *)type->tp_alloc(type, 0);
    if (m != NULL)
        m->slot[0] = m->slot[1] = 0;
    return (PyObject *)m;
}

static PyObject *meter_repr(PyObject *self)
{
    Meter *m = (Meter *)self;
    return PyUnicode_FromFormat("Meter([%lld, %lld])", m->slot[0], m->slot[1]);
}

static PyObject *meter_charger(PyObject *self, PyObject *unused)
{
    Charger *c = PyObject_New(Charger, &ChargerType);
    if (c == NULL)
        return NULL;
    Py_INCREF(self);
    c->meter = (Meter *)self;
    return (PyObject *)c;
}

static PyMethodDef meter_methods[] = {
    {"charger", meter_charger, METH_NOARGS,
     "A Charger: ``charger[ns]`` adds ns to this meter's spent time."},
    {NULL, NULL, 0, NULL}
};

static PyMappingMethods meter_mapping = {meter_length, meter_getitem, meter_setitem};

static PyTypeObject MeterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ubit.sim.board._costnative.Meter",
    .tp_basicsize = sizeof(Meter),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The board's meter: [spent ns since the clock last read it, ns a call into "
              "the board costs].",
    .tp_new = meter_new,
    .tp_repr = meter_repr,
    .tp_as_mapping = &meter_mapping,
    .tp_methods = meter_methods,
};

/* ``charger[ns]``: the charge itself (ns an int the cost model compiled in). */
static PyObject *charger_getitem(PyObject *self, PyObject *key)
{
    long long ns = as_long_long(key);
    if (ns == -1 && PyErr_Occurred())
        return NULL;
    if (charge(((Charger *)self)->meter, ns) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* ``charger.steps(iterable, ns)``: ``iter(iterable)``, each item it gives charged ``ns``. */
static PyObject *charger_steps(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Steps *steps;
    PyObject *it;
    long long ns;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "steps() takes an iterable and ns");
        return NULL;
    }
    ns = as_long_long(args[1]);
    if (ns == -1 && PyErr_Occurred())
        return NULL;
    it = PyObject_GetIter(args[0]);  /* GET_ITER's own call: its errors, in its words */
    if (it == NULL)
        return NULL;
    steps = PyObject_GC_New(Steps, &StepsType);
    if (steps == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    Py_INCREF(((Charger *)self)->meter);
    steps->meter = ((Charger *)self)->meter;
    steps->it = it;
    steps->ns = ns;
    PyObject_GC_Track(steps);
    return (PyObject *)steps;
}

/* ``charger.gate(stack, top)``: a function entry's check and charge (see the top). */
static PyObject *charger_gate(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Gate *gate;
    long long top;
    if (nargs != 2 || !PyList_CheckExact(args[0]) || !PyLong_CheckExact(args[1])) {
        PyErr_SetString(PyExc_TypeError, "gate() takes the stack list and the top (an int)");
        return NULL;
    }
    top = PyLong_AsLongLong(args[1]);
    if (top == -1 && PyErr_Occurred())
        return NULL;
    gate = PyObject_New(Gate, &GateType);
    if (gate == NULL)
        return NULL;
    Py_INCREF(((Charger *)self)->meter);
    gate->meter = ((Charger *)self)->meter;
    Py_INCREF(args[0]);
    gate->stack = args[0];
    Py_INCREF(args[1]);
    gate->top = args[1];
    gate->top_value = top;
    return (PyObject *)gate;
}

/* ``charger.each(iterable, ns)``: a comprehension's iterable, ``ns`` charged for each of
 * its items up front where its length is the number of items it gives (exact types only:
 * costmodel._SIZED, which the list meter's ``each`` uses). */
static PyObject *charger_each(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyTypeObject *kind;
    long long ns, total;
    Py_ssize_t items;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "each() takes an iterable and ns");
        return NULL;
    }
    kind = Py_TYPE(args[0]);
    if (kind == &PyList_Type || kind == &PyTuple_Type || kind == &PyRange_Type ||
            kind == &PyUnicode_Type || kind == &PyBytes_Type || kind == &PyByteArray_Type ||
            kind == &PyDict_Type || kind == &PySet_Type || kind == &PyFrozenSet_Type) {
        ns = as_long_long(args[1]);
        if (ns == -1 && PyErr_Occurred())
            return NULL;
        items = PyObject_Size(args[0]);  /* len()'s own call: a huge range's error too */
        if (items < 0)
            return NULL;
        if (__builtin_mul_overflow(ns, (long long)items, &total)) {
            PyErr_SetString(PyExc_OverflowError, "the board's meter overflowed");
            return NULL;
        }
        if (charge(((Charger *)self)->meter, total) < 0)
            return NULL;
    }
    Py_INCREF(args[0]);
    return args[0];
}

static PyMethodDef charger_methods[] = {
    {"each", (PyCFunction)(void (*)(void))charger_each, METH_FASTCALL,
     "each(iterable, ns): iterable, ns charged for each of its items if it is sized."},
    {"steps", (PyCFunction)(void (*)(void))charger_steps, METH_FASTCALL,
     "steps(iterable, ns): an iterator over iterable charging ns for each item it gives."},
    {"gate", (PyCFunction)(void (*)(void))charger_gate, METH_FASTCALL,
     "gate(stack, top): gate[ns] is True if stack[0] > top, else charges ns (False)."},
    {NULL, NULL, 0, NULL}
};

static void charger_dealloc(PyObject *self)
{
    Py_DECREF(((Charger *)self)->meter);
    PyObject_Free(self);
}

static PyMappingMethods charger_mapping = {NULL, charger_getitem, NULL};

static PyTypeObject ChargerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ubit.sim.board._costnative.Charger",
    .tp_basicsize = sizeof(Charger),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "``charger[ns]`` adds ns to its meter's spent time (and gives None).",
    .tp_dealloc = charger_dealloc,
    .tp_as_mapping = &charger_mapping,
    .tp_methods = charger_methods,
};

static PyObject *steps_next(PyObject *self)
{
    Steps *steps = (Steps *)self;
    PyObject *item = (*Py_TYPE(steps->it)->tp_iternext)(steps->it);
    if (item == NULL)
        return NULL;  /* the end (or the iterator's error), charged nothing */
    if (charge(steps->meter, steps->ns) < 0) {
        Py_DECREF(item);
        return NULL;
    }
    return item;
}

static int steps_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((Steps *)self)->it);
    Py_VISIT((PyObject *)((Steps *)self)->meter);
    return 0;
}

static int steps_clear(PyObject *self)
{
    Steps *steps = (Steps *)self;
    Py_CLEAR(steps->it);
    Py_CLEAR(steps->meter);
    return 0;
}

static void steps_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    steps_clear(self);
    PyObject_GC_Del(self);
}

static PyTypeObject StepsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ubit.sim.board._costnative.Steps",
    .tp_basicsize = sizeof(Steps),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A for loop's iterator, charging its meter for each item it gives.",
    .tp_dealloc = steps_dealloc,
    .tp_traverse = steps_traverse,
    .tp_clear = steps_clear,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = steps_next,
};

/* ``gate[ns]``: True if the bytes in use are past the top (nothing charged), else the
 * entry's ns charged and False. */
static PyObject *gate_getitem(PyObject *self, PyObject *key)
{
    Gate *gate = (Gate *)self;
    PyObject *used;
    long long ns;
    int over;
    if (PyList_GET_SIZE(gate->stack) < 1) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return NULL;
    }
    used = PyList_GET_ITEM(gate->stack, 0);
#if PY_VERSION_HEX < 0x030C0000
    if (PyLong_CheckExact(used) && Py_SIZE(used) >= -1 && Py_SIZE(used) <= 1)
        over = as_long_long(used) > gate->top_value;
    else
#endif
    {
        Py_INCREF(used);
        over = PyObject_RichCompareBool(used, gate->top, Py_GT);
        Py_DECREF(used);
        if (over < 0)
            return NULL;
    }
    if (over)
        Py_RETURN_TRUE;
    ns = as_long_long(key);
    if (ns == -1 && PyErr_Occurred())
        return NULL;
    if (charge(gate->meter, ns) < 0)
        return NULL;
    Py_RETURN_FALSE;
}

static void gate_dealloc(PyObject *self)
{
    Gate *gate = (Gate *)self;
    Py_DECREF(gate->meter);
    Py_DECREF(gate->stack);
    Py_DECREF(gate->top);
    PyObject_Free(self);
}

static PyMappingMethods gate_mapping = {NULL, gate_getitem, NULL};

static PyTypeObject GateType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ubit.sim.board._costnative.Gate",
    .tp_basicsize = sizeof(Gate),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "gate[ns]: a function entry's stack check and charge (True: the stack is full).",
    .tp_dealloc = gate_dealloc,
    .tp_as_mapping = &gate_mapping,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_costnative",
    "The cost model's meter and its charges in C (costmodel.py's fast path).", -1, NULL
};

PyMODINIT_FUNC PyInit__costnative(void)
{
    PyObject *m;
    if (PyType_Ready(&MeterType) < 0 || PyType_Ready(&ChargerType) < 0 ||
            PyType_Ready(&StepsType) < 0 || PyType_Ready(&GateType) < 0)
        return NULL;
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&MeterType);
    if (PyModule_AddObject(m, "Meter", (PyObject *)&MeterType) < 0) {
        Py_DECREF(&MeterType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
