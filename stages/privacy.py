"""privacy: could someone learn about the real people from the synthetic table? Distances to the closest
real record (copies, DCR, NNDR), and three attacks on the training rows through the synthetic table, each
run again on the holdout as the control: singling out, linkability, inference; and membership inference
(can the synthetic rows tell training rows from unseen ones?).

reads:  paths.train (the attacked rows: those the generator was trained on), paths.synthetic,
        paths.holdout (the control; half of it the membership attack's population sample), paths.schema,
        paths.reference.privacy (the holdout's own distances and copies, from score_real)
writes: paths.metrics.privacy (+ paths.details.privacy); paths.plots.dcr (+ dcr_image), paths.plots.risks
        (every attack's risk with its 95% interval; risks_image: privacy.inference.shown secrets of them)
"""

import pandas as pd

from stages.common import record_cost, run
from synthproof.evaluation.attacks import Attacks, shown_attacks
from synthproof.evaluation.membership import MembershipInference
from synthproof.evaluation.privacy import DistanceTest, HoldoutPrivacy, dcr_histogram
from synthproof.headline import shown
from synthproof.io import read_json, write_metrics, write_plot_csv
from synthproof.plots import dcr_figure, risks_figure, save_figure
from synthproof.progress import steps
from synthproof.schema import Schema
from synthproof.split import limit_rows

PARAMS = ["seed", "generator.max_rows", "privacy"]


def main(params):
    cfg, paths = params.privacy, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    train, holdout, synthetic = (pd.read_parquet(p) for p in (paths.train, paths.holdout, paths.synthetic))
    own = HoldoutPrivacy.from_frame(pd.read_parquet(paths.reference.privacy))
    with steps(None, "privacy: distances", "chunk") as progress:
        distances = DistanceTest.for_run(cfg.dcr, params.seed)
        copies = distances.run(schema, train, holdout, synthetic, own, progress)
    # the attacks target the rows the generator learnt from (training rows it never saw are like the control)
    seen = limit_rows(train, params.generator.max_rows, params.seed)
    with steps(None, "privacy: attacks", "attack") as progress:
        attacks = Attacks.for_run(cfg, params.seed, params.compute.threads).run(
            schema, seen, synthetic, holdout, progress
        )
    members = MembershipInference.for_run(cfg.membership, params.seed).run(schema, seen, synthetic, holdout)

    distances = dcr_histogram(copies)
    write_plot_csv(distances, paths.plots.dcr)
    save_figure(dcr_figure(distances), paths.plots.dcr_image)
    risks = attacks.table()
    write_plot_csv(risks, paths.plots.risks)  # every secret's; the image, the few that matter
    shown_names = shown_attacks(attacks.details(), cfg.inference.shown)
    shown_risks = risks.set_index("attack").loc[list(shown_names)].reset_index()
    save_figure(risks_figure(shown_risks), paths.plots.risks_image)
    record_cost({"privacy_threads": params.compute.threads})  # machine to machine: not a result
    result = {
        **copies.metrics(),
        **attacks.metrics(),
        **members.metrics(),
        "attacks": attacks.details(),  # each attack's counts and rates, each secret's
    }
    write_metrics(result, paths.metrics.privacy, paths.details.privacy)
    figures = {"privacy": result}
    risks = [shown(figures, name) for name in ("singling_out_risk", "linkability_risk", "inference_risk_max")]
    said = f"{'; '.join(risks)} ({result['inference_risk_max_column']}); {shown(figures, 'membership_auc')}"
    return f"{said}; {shown(figures, 'dcr_share')}"


if __name__ == "__main__":
    run(main, PARAMS)
