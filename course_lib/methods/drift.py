"""Drift caused by the model itself: a spam filter whose senders learn to evade it.

A filter (scikit-learn's ``CountVectorizer`` + ``MultinomialNB``) is trained on one week of
labelled mail and deployed. The world reacts to it: every week, each spam *campaign* whose
messages the filter caught rewrites its tell-tale words, with probability ``evasion``, into
spellings nobody has used before ("free" → "fr3e" → "f.r.e.e" ...). A word the filter has never
seen says nothing to it, so a rewritten campaign goes through. Campaigns that go through have
no reason to change. Starting from a share ``c₀`` of spam caught, a filter that is never
retrained therefore catches, in expectation,

    c_t = c₀ · (1 − evasion)^t     in week t,

the closed form :func:`frozen_recall` gives, and the simulation follows (a test checks it).

Retraining is the obvious fix — but on which data? :func:`simulate_drift` compares

``"frozen"``
    never retrained;
``"own decisions"``
    retrained every week on that week's mail *labelled by its own decisions* — what it caused.
    The spam it let through is labelled "not spam", so the new spellings are learned as
    harmless: it decays like the frozen filter;
``"fresh labels"``
    retrained every week on a fresh, independent sample of that week's mail labelled by
    people. It learns the new spellings a week late, and stays near ``c₀·(1 − evasion)``.

The mail is synthetic (word lists written for the course); the mechanism — adversaries
adapting to a deployed classifier, and a model trained on the labels it produced itself — is
the concept drift described by Gama et al. (2014, "A survey on concept drift adaptation",
ACM Computing Surveys 46(4)) and, for spam, by Dalvi et al. (2004, "Adversarial
classification", KDD).

Examples
--------
>>> frozen_recall(0.9, 0.3, 4)
0.21609
>>> table = simulate_drift(n_weeks=4, random_state=0)
>>> sorted(table["strategy"].unique())
['fresh labels', 'frozen', 'own decisions']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_count, check_int, check_number, check_random_state

#: Everyday words: all ham is made of them, and spam uses them as filler.
HAM_WORDS = tuple("""meeting lunch tomorrow report project thanks team notes draft agenda
call friday monday weekend family photos dinner garden train ticket library book chapter
invoice budget slides review minutes office kitchen coffee school homework recipe weather
birthday party holiday flight hotel schedule update question answer plan week morning evening
bike walk park music concert film class lesson course paper printer laptop password meeting
shopping list milk bread apples doctor appointment dentist letter parcel delivery neighbour
cat dog vet football match score rehearsal choir piano guitar painting gallery museum trip
beach camping tent map route bus station platform delay seminar lecture exam results
thesis supervisor lab sample data chart table figure version backup server folder file
""".split())
#: The words spam is built on (each campaign uses four of them).
SPAM_WORDS = ("free", "winner", "prize", "cash", "offer", "click", "urgent", "credit", "loan",
              "bonus", "deal", "cheap", "guaranteed", "discount", "lottery", "claim",
              "exclusive", "limited", "refund", "investment")
STRATEGIES = ("frozen", "own decisions", "fresh labels")
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "l": "1", "g": "9"}


def spelling(word, version):
    """The ``version``-th spelling of ``word`` (0: the word itself); all different.

    >>> [spelling("free", v) for v in range(4)]
    ['free', 'fr3e', 'fre3', 'fr33']
    """
    if not isinstance(word, str) or not word.isalpha():
        raise CourseTypeError(f"`word` must be a word of letters, e.g. 'free'; got {word!r}"[:100])
    version = check_int("version", version, minimum=0, maximum=100_000)
    if version == 0:
        return word
    spots = [i for i, ch in enumerate(word) if ch in _LEET]
    n = len(spots)
    combos = (1 << n) - 1        # the non-empty subsets of letters to swap for look-alikes
    k, rounds = (version - 1) % max(combos, 1), (version - 1) // max(combos, 1)
    chars = list(word)
    if combos:
        mask = k + 1
        for j, i in enumerate(spots):
            if mask >> j & 1:
                chars[i] = _LEET[word[i]]
    out = "".join(chars)
    if rounds or not combos:
        out = ".".join(out) + "." * (rounds + (0 if combos else version))
    return out


def frozen_recall(start, evasion, week):
    """``c₀·(1 − evasion)^week``: the share of spam a never-retrained filter catches in week t.

    Parameters
    ----------
    start : float
        The share it catches in week 0, ``c₀``.
    evasion : float
        The chance that a caught campaign rewrites its words before the next week.
    week : int or array of int

    >>> frozen_recall(1.0, 0.5, [0, 1, 2]).tolist()
    [1.0, 0.5, 0.25]
    """
    start = check_number("start", start, minimum=0, maximum=1)
    evasion = check_number("evasion", evasion, minimum=0, maximum=1)
    if isinstance(week, (list, tuple, np.ndarray)):
        weeks = np.array([check_int("week", w, minimum=0, maximum=10_000) for w in week])
        return start * (1 - evasion) ** weeks
    week = check_int("week", week, minimum=0, maximum=10_000)
    return round(start * (1 - evasion) ** week, 12)


class SpamWorld:
    """The mail a filter sees: ham, and spam campaigns that rewrite their words when caught.

    Parameters
    ----------
    n_campaigns : int, default=60
        Spam campaigns; each sends ``per_campaign`` messages a week.
    per_campaign : int, default=5
    n_ham : int, default=300
        Ham messages a week.
    evasion : float, default=0.3
        The chance that a campaign the filter caught (most of its messages blocked) rewrites
        its spam words into new spellings before the next week.
    random_state : int, numpy Generator or None

    Examples
    --------
    >>> w = SpamWorld(random_state=1)
    >>> texts, labels = w.mail(random_state=2)
    >>> len(texts), int(sum(labels))
    (600, 300)
    """

    def __init__(self, *, n_campaigns=60, per_campaign=5, n_ham=300, evasion=0.3,
                 random_state=None):
        self.n_campaigns = check_count("n_campaigns", n_campaigns, maximum=2000)
        self.per_campaign = check_count("per_campaign", per_campaign, maximum=100)
        self.n_ham = check_count("n_ham", n_ham, maximum=20_000)
        self.evasion = check_number("evasion", evasion, minimum=0, maximum=1)
        rng = check_random_state(random_state)
        self.words_ = np.array([rng.choice(len(SPAM_WORDS), 4, replace=False)
                                for _ in range(self.n_campaigns)])
        self.versions_ = np.zeros((self.n_campaigns, 4), dtype=int)
        self._next = np.ones(len(SPAM_WORDS), dtype=int)   # next unused spelling per word
        self.week_ = 0

    def campaign_words(self, campaign):
        """The four spam words campaign ``campaign`` uses this week, as spelled now."""
        c = check_int("campaign", campaign, minimum=0, maximum=self.n_campaigns - 1)
        return [spelling(SPAM_WORDS[w], v) for w, v in zip(self.words_[c], self.versions_[c])]

    def mail(self, *, random_state=None):
        """This week's mail: ``(texts, labels)`` with label 1 = spam, and the campaign of each.

        Returns
        -------
        texts : list of str
        labels : numpy.ndarray of int
            1 for spam, 0 for ham. ``self.last_campaigns_`` holds each message's campaign
            (-1 for ham).
        """
        rng = check_random_state(random_state)
        ham = HAM_WORDS
        texts = [" ".join(ham[i] for i in row)
                 for row in rng.integers(len(ham), size=(self.n_ham, 12)).tolist()]
        labels, campaigns = [0] * self.n_ham, [-1] * self.n_ham
        filler = rng.integers(len(ham), size=(self.n_campaigns * self.per_campaign, 8)).tolist()
        order = np.argsort(rng.random((len(filler), 12)), axis=1).tolist()
        k = 0
        for c in range(self.n_campaigns):
            words = self.campaign_words(c)
            for _ in range(self.per_campaign):
                tokens = words + [ham[i] for i in filler[k]]
                texts.append(" ".join(tokens[j] for j in order[k]))
                k += 1
                labels.append(1)
                campaigns.append(c)
        self.last_campaigns_ = np.array(campaigns)
        return texts, np.array(labels)

    def react(self, blocked, *, random_state=None):
        """The senders' move: each campaign with most of its messages blocked rewrites its
        words with probability ``evasion``. ``blocked`` is the filter's decision (1 = blocked)
        for the last :meth:`mail`. Returns how many campaigns rewrote."""
        rng = check_random_state(random_state)
        if not hasattr(self, "last_campaigns_"):
            raise CourseValueError("Call `world.mail()` first: the senders react to how the "
                                   "filter treated that week's mail.")
        b = np.asarray(blocked)
        if b.shape != self.last_campaigns_.shape:
            raise CourseValueError(f"`blocked` needs one decision per message of the last mail "
                                   f"({len(self.last_campaigns_)}); got shape {b.shape}.")
        rewrote = 0
        for c in range(self.n_campaigns):
            share = b[self.last_campaigns_ == c].mean()
            if share > 0.5 and rng.random() < self.evasion:
                for j, w in enumerate(self.words_[c]):
                    self.versions_[c, j] = self._next[w]
                    self._next[w] += 1
                rewrote += 1
        self.week_ += 1
        return rewrote


def make_filter():
    """A fresh filter: word counts into multinomial naive Bayes (scikit-learn)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    return make_pipeline(CountVectorizer(analyzer=str.split), MultinomialNB(alpha=1.0))


def simulate_drift(*, n_weeks=10, strategies=STRATEGIES, evasion=0.3, n_fresh=200,
                   random_state=None):
    """Deploy a filter on a world that reacts to it; measure it every week.

    Each strategy gets its own world, started from the same seed (the same campaigns and the
    same week-0 mail), which reacts to *that* strategy's filter. Each filter is trained on
    week 0's labelled mail.

    Parameters
    ----------
    n_weeks : int, default=10
    strategies : list of str, default=STRATEGIES
        Any of ``"frozen"``, ``"own decisions"``, ``"fresh labels"``.
    evasion : float, default=0.3
        The chance a caught campaign rewrites its words before the next week.
    n_fresh : int, default=200
        Messages people label each week for ``"fresh labels"``.
    random_state : int, numpy Generator or None

    Returns
    -------
    pandas.DataFrame
        One row per week and strategy: ``week, strategy, recall`` (share of spam caught),
        ``false_positive_rate`` (share of ham blocked), ``accuracy``, ``rewrote`` (campaigns
        that changed their words before that week).
    """
    n_weeks = check_int("n_weeks", n_weeks, minimum=1, maximum=60)
    if isinstance(strategies, str) or not hasattr(strategies, "__iter__"):
        raise CourseTypeError(f"`strategies` must be a list of {STRATEGIES}; got {strategies!r}."[:200])
    strategies = list(strategies)
    if not strategies or any(not isinstance(s, str) or s not in STRATEGIES for s in strategies):
        raise CourseValueError((f"`strategies` must be a non-empty list of {STRATEGIES}; got "
                                f"{strategies!r}")[:200] + ".")
    evasion = check_number("evasion", evasion, minimum=0, maximum=1)
    n_fresh = check_int("n_fresh", n_fresh, minimum=10, maximum=10_000)
    seed = int(check_random_state(random_state).integers(2**31))
    rows = []
    for s in strategies:
        rows += _one_strategy(s, n_weeks, evasion, n_fresh, seed)
    return pd.DataFrame(rows)


def _one_strategy(strategy, n_weeks, evasion, n_fresh, seed):
    world = SpamWorld(evasion=evasion, random_state=seed)
    mail_rng, react_rng, pick_rng = (np.random.default_rng([seed, k]) for k in (1, 2, 3))
    texts, labels = world.mail(random_state=mail_rng)
    model = make_filter().fit(texts, labels)
    rows, rewrote = [], 0
    for week in range(n_weeks + 1):
        if week:
            texts, labels = world.mail(random_state=mail_rng)
        pred = model.predict(texts)
        spam, ham = labels == 1, labels == 0
        rows.append({"week": week, "strategy": strategy, "recall": float(pred[spam].mean()),
                     "false_positive_rate": float(pred[ham].mean()),
                     "accuracy": float((pred == labels).mean()), "rewrote": rewrote})
        if strategy == "own decisions" and len(set(pred)) == 2:
            model = make_filter().fit(texts, pred)
        elif strategy == "fresh labels":
            pick = pick_rng.choice(len(texts), min(n_fresh, len(texts)), replace=False)
            if len(set(labels[pick])) == 2:
                model = make_filter().fit([texts[i] for i in pick], labels[pick])
        rewrote = world.react(pred, random_state=react_rng)
    return rows
