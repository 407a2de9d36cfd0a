"""`mtqa eval`: measure mtqa against human-annotated data.

One module a dataset, on shared helpers:

* ``common``: the ``mtqa score`` pipeline run on a list of texts (``score_texts``), file reading;
* ``stats``: correlations and flag rates of a segment x system frame;
* ``goals``: the accuracy goals of ``eval_goals.toml`` with bootstrap intervals;
* ``mqm``, ``mlqepe``, ``demetr``, ``seed``: read one dataset, score it, render the result.
"""
