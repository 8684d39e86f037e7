/* extract._pdfium_chars: PDFium's per-char calls in one C loop (optional; see extract/pdfium.py).
 *
 * Why it exists: PDFium has no call that returns every char's box at once, so reading a page
 * takes three calls per char (text object, loose box, origin). Through ctypes each call costs
 * ~0.7 us of Python overhead: on real documents (~3,000 chars a page) that was 6.5 ms a page,
 * more than half of extract.pdfium._chars. Here the same three calls run in a C loop.
 *
 * What it must equal: extract.pdfium._boxes_ctypes, value for value (tests/extract/
 * test_pdfium_chars.py compares both on every corpus page). It calls the same three PDFium
 * functions with the same arguments and stores their results unconverted (floats as floats,
 * doubles as doubles), so nothing can differ but the speed.
 *
 * No linking against PDFium and no PDFium headers: pypdfium2 ships and loads the library, and
 * the Python side passes the three functions' addresses as integers. Their prototypes, from
 * PDFium's public/fpdf_text.h (FPDF_BOOL is int; FPDF_CALLCONV is empty off 32-bit Windows):
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef struct {
    float left, top, right, bottom;
} FS_RECTF;

typedef void *(*GetTextObject)(void *text_page, int index);
typedef int (*GetLooseCharBox)(void *text_page, int index, FS_RECTF *rect);
typedef int (*GetCharOrigin)(void *text_page, int index, double *x, double *y);

/* A writable C-contiguous buffer holding at least n items of `size` bytes, or -1 and an error.
 * The item size is checked, not the type: the Python side allocates these numpy arrays. */
static int
check(Py_buffer *buf, Py_ssize_t n, Py_ssize_t size, const char *what)
{
    if (buf->itemsize != size || buf->len < n * size) {
        PyErr_Format(PyExc_ValueError, "%s: need %zd items of %zd bytes", what, n, size);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(read_doc,
"read(get_text_object, get_loose_char_box, get_char_origin, text_page, candidates,\n"
"     index, objects, boxes, origins, boxed) -> int\n\n"
"For each char index in `candidates` (intp) whose text object is not NULL, in order, store\n"
"at the next position j: the index (intp), the text object's address (uint64), the loose\n"
"box (4 float32: left, top, right, bottom), the origin (2 float64: x, y) and whether the box\n"
"call succeeded (uint8). Returns the number of positions written. The first four arguments\n"
"are addresses (int). Chars without a text object are PDFium's own (inferred spaces and\n"
"line breaks): skipped, as the Python path skips them.");

static PyObject *
read_chars(PyObject *self, PyObject *args)
{
    unsigned long long get_object, get_box, get_origin, page;
    Py_buffer cand = {0}, index = {0}, objects = {0}, boxes = {0}, origins = {0}, boxed = {0};
    PyObject *result = NULL;

    (void)self;
    if (!PyArg_ParseTuple(args, "KKKKy*w*w*w*w*w*", &get_object, &get_box, &get_origin, &page,
                          &cand, &index, &objects, &boxes, &origins, &boxed))
        return NULL;
    Py_ssize_t n = cand.len / (Py_ssize_t)sizeof(Py_ssize_t);
    if (!get_object || !get_box || !get_origin || !page) {
        PyErr_SetString(PyExc_ValueError, "a NULL function or text page");
        goto done;
    }
    if (check(&cand, n, sizeof(Py_ssize_t), "candidates") ||
        check(&index, n, sizeof(Py_ssize_t), "index") ||
        check(&objects, n, sizeof(uint64_t), "objects") ||
        check(&boxes, 4 * n, sizeof(float), "boxes") ||
        check(&origins, 2 * n, sizeof(double), "origins") ||
        check(&boxed, n, 1, "boxed"))
        goto done;

    GetTextObject object_at = (GetTextObject)(uintptr_t)get_object;
    GetLooseCharBox loose_box = (GetLooseCharBox)(uintptr_t)get_box;
    GetCharOrigin origin = (GetCharOrigin)(uintptr_t)get_origin;
    void *text_page = (void *)(uintptr_t)page;
    const Py_ssize_t *c = cand.buf;
    Py_ssize_t *ix = index.buf;
    uint64_t *obj = objects.buf;
    FS_RECTF *box = boxes.buf;
    double *at = origins.buf;
    uint8_t *ok = boxed.buf;
    Py_ssize_t j = 0;

    /* No Python object is touched in the loop. ctypes releases the GIL around each call too;
     * PDFium is not thread-safe either way: the callers keep one document to one thread. */
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < n; k++) {
        int i = (int)c[k];
        void *o = object_at(text_page, i);
        if (!o)
            continue;
        ix[j] = c[k];
        obj[j] = (uint64_t)(uintptr_t)o;
        /* zeros where a call fails, as in the ctypes path's zeroed buffers */
        box[j].left = box[j].top = box[j].right = box[j].bottom = 0.0f;
        at[2 * j] = at[2 * j + 1] = 0.0;
        ok[j] = loose_box(text_page, i, &box[j]) ? 1 : 0;
        origin(text_page, i, &at[2 * j], &at[2 * j + 1]);
        j++;
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(j);

done:
    PyBuffer_Release(&cand);
    PyBuffer_Release(&index);
    PyBuffer_Release(&objects);
    PyBuffer_Release(&boxes);
    PyBuffer_Release(&origins);
    PyBuffer_Release(&boxed);
    return result;
}

static PyMethodDef methods[] = {
    {"read", read_chars, METH_VARARGS, read_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "extract._pdfium_chars",
    "PDFium's three per-char calls in one C loop (see extract/pdfium.py).", -1, methods,
};

PyMODINIT_FUNC
PyInit__pdfium_chars(void)
{
    return PyModule_Create(&module);
}
