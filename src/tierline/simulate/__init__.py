from tierline.simulate.runner import ScenarioFailed, run, run_file

__all__ = ["ScenarioFailed", "run", "run_file"]
