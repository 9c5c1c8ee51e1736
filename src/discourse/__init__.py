"""Comparative discourse study of political interviews.

Modules: ``corpus`` (parsing interviews into tidy tables), ``text`` (the one normalisation and
sentence segmentation every measure shares), ``readability``, ``sentiment``, ``rhetoric``,
``topics``, ``responsiveness`` (whether answers take up their question), ``compare``
(uncertainty and distinctive vocabulary) and ``plots``.
"""

__version__ = "0.1.0"
