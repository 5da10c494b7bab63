/* The board float's everyday operators in C: f32.py's fast path (issue 18).
 *
 * f32.py's board float rounds each result to float32 (the V1 also drops the 2 lowest
 * mantissa bits of the object word) in Python methods, ~600 ns an operation against
 * CPython's 29 ns. This module gives it a base type, a subclass of float, whose
 * + - * / (and their reflections), unary - + abs() and comparisons do the same in C;
 * f32.py keeps //, %, divmod, ** and conversions. Results are the Python path's bit for
 * bit (tests/sim/test_f32_native.py): the same operand conversion (f32.operand), the
 * double operation CPython does, then the rounding of mpfloat.stored_float. A C cast
 * from double to float rounds to nearest even, as the firmware's float arithmetic does
 * (the V2's FPU, the V1's soft-float); the V1's ``mp_obj_new_float`` keeps bits 2..31
 * of the float (py/objfloat.c, MICROPY_OBJ_REPR_C: ``(u & ~3) | 2``).
 *
 * The board's types (V2 and V1) register themselves: results are made as the board's
 * own float, whichever subclass the operand was. Anything rare (heap ints, a / b of
 * other types) is handed back to f32.py's Python functions.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define EXACT_INT (1L << 24) /* ints up to this convert to float32 exactly */

static PyTypeObject *kinds[2];     /* the board float types: [0] V2, [1] V1 (30 bits) */
static PyObject *int_to_float;     /* f32.int_to_float: heap ints, 16 bits at a time */
static double nan_value;           /* math.nan, the nan the Python path returns */

/* Dead board floats kept for the next results: a heap type's instances are allocated
 * and freed through the collector (and subtype_dealloc's general work), which took half
 * of an operation's time; CPython's own floats have such a free list too. */
#define SPARES 100
static PyObject *spare[2][SPARES];
static int spares[2];

/* mpfloat.stored_float: ``x`` as a board float object holds it. */
static double stored(double x, int boxed, int signed_nan)
{
    float f = (float)x;
    if (isfinite(f)) {
        if (boxed) {
            uint32_t u;
            memcpy(&u, &f, sizeof u);
            u &= ~(uint32_t)3;
            memcpy(&f, &u, sizeof f);
        }
        return (double)f;
    }
    if (!isnan(f))
        return (double)f;
    /* the soft-float nan has no sign, but a V1 board float's negation flips it */
    return signed_nan && signbit(f) ? -nan_value : nan_value;
}

/* Which board's float ``o`` is: 0 (V2), 1 (V1), -1 neither. */
static int board_of(PyObject *o)
{
    PyTypeObject *t = Py_TYPE(o);
    if (t == kinds[0])
        return 0;
    if (t == kinds[1])
        return 1;
    if (kinds[0] != NULL && PyType_IsSubtype(t, kinds[0]))
        return 0;
    if (kinds[1] != NULL && PyType_IsSubtype(t, kinds[1]))
        return 1;
    return -1;
}

static PyObject *make(int boxed, double value)
{
    PyTypeObject *t = kinds[boxed];
    PyObject *o;
    if (spares[boxed] > 0) {
        o = spare[boxed][--spares[boxed]];
        PyObject_Init(o, t); /* its type, a reference to it, a count of 1 */
    } else {
        o = t->tp_alloc(t, 0);
        if (o == NULL)
            return NULL;
        /* a float refers to nothing: the collector has nothing to find in it */
        PyObject_GC_UnTrack(o);
    }
    ((PyFloatObject *)o)->ob_fval = value;
    return o;
}

/* The board types' tp_dealloc (set by register), and their subclasses' base one: the
 * heap type's reference is given back here (subtype_dealloc leaves it to a heap base). */
static void f_dealloc(PyObject *o)
{
    PyTypeObject *t = Py_TYPE(o);
    int boxed = t == kinds[0] ? 0 : t == kinds[1] ? 1 : -1;
    PyObject_GC_UnTrack(o);
    if (boxed >= 0 && spares[boxed] < SPARES)
        spare[boxed][spares[boxed]++] = o;
    else
        t->tp_free(o);
    Py_DECREF(t);
}

static void forget_spares(int boxed)
{
    while (spares[boxed] > 0)
        PyObject_GC_Del(spare[boxed][--spares[boxed]]);
}

/* f32.operand: the value ``o`` takes part with; 1 done, 0 not a number, -1 an error. */
static int operand(PyObject *o, int boxed, double *out)
{
    PyTypeObject *t = Py_TYPE(o);
    if (t == kinds[boxed]) {
        *out = PyFloat_AS_DOUBLE(o);
        return 1;
    }
    if (PyFloat_Check(o)) {
        double v = PyFloat_AS_DOUBLE(o);
        *out = PyType_IsSubtype(t, kinds[boxed]) ? v
                                                  : stored(v, boxed, boxed && t != &PyFloat_Type);
        return 1;
    }
    if (PyLong_Check(o)) {
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (!overflow && -EXACT_INT <= v && v <= EXACT_INT) {
            *out = (double)v;
            return 1;
        }
        PyObject *r = PyObject_CallOneArg(int_to_float, o);
        if (r == NULL)
            return -1;
        *out = PyFloat_AsDouble(r);
        Py_DECREF(r);
        return *out == -1.0 && PyErr_Occurred() ? -1 : 1;
    }
    return 0;
}

enum { ADD, SUB, MUL, DIV };

/* CPython's own error for x / 0.0 (its words, which mperrors turns into the firmware's). */
static PyObject *divide_by_zero(double x, double y)
{
    PyObject *a = PyFloat_FromDouble(x), *b = PyFloat_FromDouble(y), *r = NULL;
    if (a != NULL && b != NULL)
        r = PyFloat_Type.tp_as_number->nb_true_divide(a, b);
    Py_XDECREF(a);
    Py_XDECREF(b);
    return r;
}

static PyObject *arithmetic(PyObject *a, PyObject *b, int op)
{
    double x, y, r;
    int done;
    int boxed = board_of(a); /* a's type is asked first: its board converts the other */
    if (boxed >= 0) {
        x = PyFloat_AS_DOUBLE(a);
        done = operand(b, boxed, &y);
    } else {
        boxed = board_of(b);
        if (boxed < 0)
            Py_RETURN_NOTIMPLEMENTED;
        y = PyFloat_AS_DOUBLE(b);
        done = operand(a, boxed, &x);
    }
    if (done <= 0) {
        if (done < 0)
            return NULL;
        Py_RETURN_NOTIMPLEMENTED;
    }
    switch (op) {
    case ADD: r = x + y; break;
    case SUB: r = x - y; break;
    case MUL: r = x * y; break;
    default:
        if (y == 0.0)
            return divide_by_zero(x, y);
        r = x / y;
    }
    return make(boxed, stored(r, boxed, 0));
}

static PyObject *f_add(PyObject *a, PyObject *b) { return arithmetic(a, b, ADD); }
static PyObject *f_sub(PyObject *a, PyObject *b) { return arithmetic(a, b, SUB); }
static PyObject *f_mul(PyObject *a, PyObject *b) { return arithmetic(a, b, MUL); }
static PyObject *f_div(PyObject *a, PyObject *b) { return arithmetic(a, b, DIV); }

static PyObject *f_neg(PyObject *self)
{
    int boxed = board_of(self);
    if (boxed < 0)
        return PyFloat_Type.tp_as_number->nb_negative(self);
    return make(boxed, -PyFloat_AS_DOUBLE(self)); /* exact: the sign flips, nan's too */
}

static PyObject *f_pos(PyObject *self)
{
    if (board_of(self) < 0)
        return PyFloat_Type.tp_as_number->nb_positive(self);
    return Py_NewRef(self);
}

static PyObject *f_abs(PyObject *self)
{
    int boxed = board_of(self);
    if (boxed < 0)
        return PyFloat_Type.tp_as_number->nb_absolute(self);
    return make(boxed, fabs(PyFloat_AS_DOUBLE(self)));
}

static PyObject *f_compare(PyObject *self, PyObject *other, int op)
{
    double x, y;
    int r, boxed = board_of(self);
    if (boxed < 0)
        Py_RETURN_NOTIMPLEMENTED;
    x = PyFloat_AS_DOUBLE(self);
    r = operand(other, boxed, &y);
    if (r <= 0) {
        if (r < 0)
            return NULL;
        Py_RETURN_NOTIMPLEMENTED;
    }
    switch (op) {
    case Py_LT: r = x < y; break;
    case Py_LE: r = x <= y; break;
    case Py_GT: r = x > y; break;
    case Py_GE: r = x >= y; break;
    default:
        /* V1: equal object words are equal objects (mp_obj_equal), nan included */
        r = x == y || (boxed && isnan(x) && isnan(y) && !signbit(x) == !signbit(y));
        if (op == Py_NE)
            r = !r;
    }
    return PyBool_FromLong(r);
}

static PyNumberMethods number_methods = {
    .nb_add = f_add,
    .nb_subtract = f_sub,
    .nb_multiply = f_mul,
    .nb_true_divide = f_div,
    .nb_negative = f_neg,
    .nb_positive = f_pos,
    .nb_absolute = f_abs,
};

static PyTypeObject BaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    /* named as the board's float: nothing a program lists shows another name */
    .tp_name = "float",
    .tp_basicsize = sizeof(PyFloatObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("The board float's rounding operators (f32.py's fast path)."),
    .tp_as_number = &number_methods,
    .tp_richcompare = f_compare,
};

/* Only numbers of these types divide here: a user type's __truediv__ must be called
 * from the Python helper's frame, where v1quirks sees an operator (the V1 refuses it). */
static int plain_number(PyObject *o)
{
    PyTypeObject *t = Py_TYPE(o);
    return t == kinds[0] || t == kinds[1] || t == &PyLong_Type || t == &PyFloat_Type ||
           t == &PyBool_Type;
}

static int small_int(PyObject *o, double *out)
{
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    *out = (double)v;
    return !overflow && -EXACT_INT <= v && v <= EXACT_INT;
}

/* f32._make_divide's helper in C: ``a / b``, int / int as the firmware divides; its
 * ``self`` is (boxed, the Python helper), which does what is rare. */
static PyObject *divide(PyObject *board, PyObject *const *args, Py_ssize_t nargs)
{
    int boxed = PyTuple_GET_ITEM(board, 0) == Py_True;
    PyObject *python = PyTuple_GET_ITEM(board, 1), *a, *b, *r;
    double x, y;
    if (nargs != 2 || kinds[boxed] == NULL || !plain_number(args[0]) || !plain_number(args[1]))
        return PyObject_Vectorcall(python, args, nargs, NULL);
    a = args[0];
    b = args[1];
    if (PyLong_CheckExact(a) && PyLong_CheckExact(b)) {
        /* exact operands: the double quotient, rounded once, is float32's (as CPython's
         * int / int, correctly rounded) */
        if (small_int(a, &x) && small_int(b, &y) && y != 0.0)
            return make(boxed, stored(x / y, boxed, 0));
        return PyObject_Vectorcall(python, args, nargs, NULL);
    }
    r = PyNumber_TrueDivide(a, b);
    if (r == NULL || !PyFloat_CheckExact(r))
        return r; /* a board float */
    Py_DECREF(r); /* a plain float: of host floats, or a bool; the helper rounds them */
    return PyObject_Vectorcall(python, args, nargs, NULL);
}

static PyMethodDef divide_def = {"divide", (PyCFunction)(void (*)(void))divide, METH_FASTCALL,
                                 PyDoc_STR("a / b as the board divides")};

static PyObject *divider(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *python, *self, *f;
    int boxed;
    if (!PyArg_ParseTuple(args, "pO:divider", &boxed, &python))
        return NULL;
    self = Py_BuildValue("(OO)", boxed ? Py_True : Py_False, python);
    if (self == NULL)
        return NULL;
    f = PyCFunction_NewEx(&divide_def, self, NULL);
    Py_DECREF(self);
    return f;
}

static PyObject *registered(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *kind, *to_float;
    int boxed;
    if (!PyArg_ParseTuple(args, "O!pO:register", &PyType_Type, &kind, &boxed, &to_float))
        return NULL;
    if (!PyType_IsSubtype((PyTypeObject *)kind, &BaseType) ||
        !(((PyTypeObject *)kind)->tp_flags & Py_TPFLAGS_HAVE_GC) ||
        ((PyTypeObject *)kind)->tp_basicsize != sizeof(PyFloatObject)) {
        PyErr_SetString(PyExc_TypeError, "register: not a board float type");
        return NULL;
    }
    forget_spares(boxed);
    ((PyTypeObject *)kind)->tp_dealloc = f_dealloc;
    Py_INCREF(kind);
    Py_XSETREF(kinds[boxed], (PyTypeObject *)kind);
    Py_INCREF(to_float);
    Py_XSETREF(int_to_float, to_float);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"register", registered, METH_VARARGS,
     PyDoc_STR("register(kind, boxed, int_to_float): a board's float type")},
    {"divider", divider, METH_VARARGS,
     PyDoc_STR("divider(boxed, python_divide): the board's a / b helper")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_f32native",
    .m_doc = PyDoc_STR("The board float's everyday operators in C (f32.py's fast path)."),
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__f32native(void)
{
    PyObject *m, *math, *nan;
    BaseType.tp_base = &PyFloat_Type;
    /* defining richcompare stops float's hash being inherited: the board's floats hash
     * as CPython's (hashorder.py orders them as the firmware does) */
    BaseType.tp_hash = PyFloat_Type.tp_hash;
    if (PyType_Ready(&BaseType) < 0)
        return NULL;
    math = PyImport_ImportModule("math");
    if (math == NULL)
        return NULL;
    nan = PyObject_GetAttrString(math, "nan");
    Py_DECREF(math);
    if (nan == NULL)
        return NULL;
    nan_value = PyFloat_AsDouble(nan);
    Py_DECREF(nan);
    m = PyModule_Create(&module_def);
    if (m == NULL)
        return NULL;
    Py_INCREF(&BaseType);
    if (PyModule_AddObject(m, "Float", (PyObject *)&BaseType) < 0) {
        Py_DECREF(&BaseType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
