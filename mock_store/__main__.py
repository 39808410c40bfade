"""`python -m mock_store --host --port --scenario`: serve the mock store."""

from __future__ import annotations

import argparse
import sys

from mock_store.scenarios import ScenarioError, list_scenarios, load_scenario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mock_store", description="Serve the mock gift-card store.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 = any free)")
    parser.add_argument("--scenario", default="default", help="default scenario for new browser sessions")
    parser.add_argument("--list", action="store_true", help="list the bundled scenarios and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(list_scenarios()))
        return 0
    try:
        load_scenario(args.scenario)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from mock_store.server import serve

    print(
        f"Mock store on http://{args.host}:{args.port} (scenario: {args.scenario}); Ctrl-C stops it.", file=sys.stderr
    )
    serve(args.host, args.port, scenario=args.scenario)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
