"""Part 4, section 5: what published studies of real annotators found.

Each finding is stated as its authors stated it (in the abstract or the paper), with the
citation; the course reproduces the *mechanisms* on the learner's own labels, not these
studies' numbers.

>>> len(STUDIES) >= 4
True
"""
from __future__ import annotations

#: (citation, what they studied, what they found)
STUDIES = (
    ("Sap, Card, Gabriel, Choi & Smith (2019). The Risk of Racial Bias in Hate Speech "
     "Detection. ACL.",
     "Widely used hate-speech datasets labelled by crowd workers, and models trained on them.",
     "Surface markers of African American English (AAE) correlate with toxicity labels; models "
     "trained on these corpora label AAE tweets and tweets by self-identified African "
     "Americans as offensive up to two times more often than others. Told the tweet's likely "
     "dialect, annotators were significantly less likely to label it offensive."),
    ("Davidson, Bhattacharya & Weber (2019). Racial Bias in Hate Speech and Abusive Language "
     "Detection Datasets. Workshop on Abusive Language Online.",
     "Classifiers trained on five annotated Twitter datasets.",
     "In all five, tweets written in African-American English were predicted abusive at "
     "substantially higher rates than tweets in Standard American English."),
    ("Sap, Swayamdipta, Vianna, Zhou, Choi & Smith (2022). Annotators with Attitudes: How "
     "Annotator Beliefs and Identities Bias Toxic Language Detection. NAACL.",
     "Two online studies with demographically and politically diverse annotators rating "
     "anti-Black, AAE and vulgar posts.",
     "Strong associations between who annotators are, what they believe, and their toxicity "
     "ratings: more conservative annotators and those scoring higher on a scale of racist "
     "beliefs were less likely to rate anti-Black language as toxic, but more likely to rate "
     "AAE as toxic."),
    ("Geva, Goldberg & Berant (2019). Are We Modeling the Task or the Annotator? EMNLP.",
     "Three crowdsourced language-understanding datasets where a few workers wrote most "
     "examples.",
     "Models improve when given annotator ids, recognise the most productive annotators, and "
     "often do not generalise to annotators absent from training; test-set annotators should "
     "be disjoint from training-set annotators."),
    ("Santurkar, Durmus, Ladhak, Lee, Liang & Hashimoto (2023). Whose Opinions Do Language "
     "Models Reflect? ICML.",
     "Language models' answers to US public-opinion survey questions (OpinionQA) against 60 "
     "US demographic groups.",
     "Substantial misalignment between the models' views and those of US demographic groups, "
     "on par with the Democrat-Republican divide on climate change, persisting when models "
     "are steered toward a group; human-feedback-tuned models lean left, and some groups "
     "(e.g. people 65+ and widowed) are poorly reflected."),
)


def studies_table():
    """The studies as an HTML table (escaped), with a text fallback."""
    from ..core.display import HTML, table

    rows = [[c, s, f] for c, s, f in STUDIES]
    return HTML(table(rows, ["study", "what they looked at", "what they found"]),
                "\n\n".join(f"{c}\n  {f}" for c, _, f in STUDIES))
