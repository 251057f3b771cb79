"""Runs the official alpaca-py SDK, unchanged, against `peregrine exchange` and checks what it gets back:
account, clock, market / limit / bracket orders, order by client order id, replace, cancel, calendar, positions
and closing them, stock bars, the trade_updates websocket stream, the market-data stream's bars, quotes and
trades (MessagePack) equal to the latest quote and trade over REST; then, on a BTC/USD file, crypto bars,
fractional, notional and refused day orders on a Saturday, and the crypto stream's quotes; then, on daily OPT bars,
options: contracts listed and paged (GetOptionContractsRequest), a single-leg call bought, an mleg iron condor for a
credit (OptionLegRequest, OrderClass.MLEG), the positions, an early exercise, and expiry settled into shares with the
OPEXC / OPASN / OPEXP activities; the account's options buying power and level, a day limit that expires, and a gtc
order and a naked call refused.

    python scripts/exchange/alpaca_py_check.py .build/debug/peregrine
"""
import datetime
import os
import subprocess
import tempfile
import sys
import threading
import time
import urllib.request

from alpaca.common.exceptions import APIError
from alpaca.data.historical import CryptoHistoricalDataClient, StockHistoricalDataClient
from alpaca.data.live import CryptoDataStream, StockDataStream
from alpaca.data.requests import (CryptoBarsRequest, CryptoLatestQuoteRequest, CryptoLatestTradeRequest, StockBarsRequest,
                                  StockLatestQuoteRequest, StockLatestTradeRequest)
from alpaca.data.timeframe import TimeFrame
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderClass, OrderSide, OrderStatus, TimeInForce
from alpaca.trading.stream import TradingStream
from alpaca.trading.requests import (GetCalendarRequest, GetOrdersRequest, LimitOrderRequest, MarketOrderRequest,
                                     ReplaceOrderRequest, StopLossRequest, TakeProfitRequest)

KEY, SECRET = "PKCHECK1", "check-secret-1"


def main(executable):
    run_exchange(executable, ["--data", "synthetic:bars=500,seed=3,symbol=SYN", "--warmup", "50"], check)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "BTCUSD.csv")
        write_weekend_pair(path)
        run_exchange(executable, ["--data", path, "--asset-class", "crypto", "--warmup", "60"], check_crypto)
        actions = os.path.join(folder, "actions.csv")
        with open(actions, "w") as out:
            out.write("symbol,date,type,value\nSYN,2020-08-31,split,4:1\nSYN,2020-08-07,dividend,0.82\nSYN,2021-03-01,split,1:10\n")
        run_exchange(executable, ["--data", "synthetic:bars=100,seed=3,symbol=SYN", "--corporate-actions", actions],
                     check_corporate_actions)
        daily = os.path.join(folder, "OPT.csv")
        write_option_underlying(daily)
        run_exchange(executable, ["--data", daily], check_options)
    print("alpaca-py against peregrine exchange: all checks passed")


def check_corporate_actions(base):
    """The SDK's corporate-actions client reads what the exchange lists, by kind and ex-date."""
    from alpaca.data.historical.corporate_actions import CorporateActionsClient
    from alpaca.data.requests import CorporateActionsRequest
    client = CorporateActionsClient(KEY, SECRET, url_override=base)
    found = client.get_corporate_actions(CorporateActionsRequest(symbols=["SYN"], start=datetime.date(2020, 1, 1), end=datetime.date(2021, 12, 31))).data
    assert [(s.new_rate, s.old_rate, s.ex_date.isoformat()) for s in found["forward_splits"]] == [(4, 1, "2020-08-31")], found
    assert [(s.new_rate, s.old_rate, s.ex_date.isoformat()) for s in found["reverse_splits"]] == [(1, 10, "2021-03-01")], found
    assert [(d.rate, d.ex_date.isoformat()) for d in found["cash_dividends"]] == [(0.82, "2020-08-07")], found
    later = client.get_corporate_actions(CorporateActionsRequest(symbols=["SYN"], start=datetime.date(2021, 1, 1), end=datetime.date(2021, 12, 31))).data
    assert list(later) == ["reverse_splits"], later


def run_exchange(executable, data, checks):
    env = dict(os.environ, APCA_API_KEY_ID=KEY, APCA_API_SECRET_KEY=SECRET)
    server = subprocess.Popen([executable, "exchange", *data, "--speed", "manual", "--port", "0", "--cash", "100000"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        base = None
        for line in server.stdout:
            if line.startswith("listening on "):
                base = line.split()[2]
                break
        assert base, "the exchange did not start: " + server.stderr.read()
        checks(base)
    finally:
        server.terminate()
        server.wait(timeout=20)


def write_weekend_pair(path):
    """120 one-minute BTC/USD bars from Saturday 2024-06-08 00:00 UTC, fractional volumes."""
    start = datetime.datetime(2024, 6, 8, tzinfo=datetime.timezone.utc)
    with open(path, "w") as out:
        out.write("timestamp,open,high,low,close,volume\n")
        for k in range(120):
            time_ = (start + datetime.timedelta(minutes=k)).strftime("%Y-%m-%dT%H:%M:%SZ")
            price = 69000 + 3 * k
            out.write(f"{time_},{price}.5,{price + 4}.25,{price - 2}.125,{price + 1}.75,0.{10_000 + 37 * k}\n")


def write_option_underlying(path):
    """30 weekday daily bars of OPT from Monday 2024-01-01: 100 through Wednesday Jan 10, 103 on Friday Jan 12."""
    closes = [100, 101, 99, 100.5, 99.5, 101.5, 100, 100, 100, 103] + [104 + 0.25 * k for k in range(20)]
    day = datetime.date(2024, 1, 1)
    with open(path, "w") as out:
        out.write("timestamp,open,high,low,close,volume\n")
        previous = closes[0]
        for close in closes:
            while day.weekday() >= 5:
                day += datetime.timedelta(days=1)
            out.write(f"{day.isoformat()},{previous},{max(previous, close) + 0.5},{min(previous, close) - 0.5},{close},10000\n")
            previous = close
            day += datetime.timedelta(days=1)


def check_options(base):
    """Options through the SDK's own requests: the listing (paged, filtered), a call bought, an iron condor as one mleg
    order at a net credit, the positions it leaves, an early exercise, and Friday's contracts settled on Monday."""
    from alpaca.trading.enums import AssetClass, ContractType, PositionIntent
    from alpaca.trading.requests import GetOptionContractsRequest, OptionLegRequest
    trading = TradingClient(KEY, SECRET, paper=True, url_override=base)
    advance(base, 8)  # through Wednesday 2024-01-10, close 100
    listed, token = [], None
    while True:
        page = trading.get_option_contracts(GetOptionContractsRequest(underlying_symbols=["OPT"], limit=40, page_token=token))
        listed += page.option_contracts
        token = page.next_page_token
        if not token:
            break
    # Fridays Jan 12 to Feb 9 (5), strikes 80 to 120 by 2.50 (17), calls and puts.
    assert len(listed) == 170 and len({c.symbol for c in listed}) == 170, len(listed)
    assert {c.expiration_date.isoformat() for c in listed} == {"2024-01-12", "2024-01-19", "2024-01-26", "2024-02-02", "2024-02-09"}
    calls = trading.get_option_contracts(GetOptionContractsRequest(
        underlying_symbols=["OPT"], type=ContractType.CALL, expiration_date=datetime.date(2024, 1, 19),
        strike_price_gte="95", strike_price_lte="105")).option_contracts
    assert [c.strike_price for c in calls] == [95, 97.5, 100, 102.5, 105] and all(c.size == "100" for c in calls), calls

    single = trading.submit_order(MarketOrderRequest(symbol="OPT240112C00100000", qty=2, side=OrderSide.BUY,
                                                     time_in_force=TimeInForce.DAY, client_order_id="py-opt-1"))
    assert single.asset_class == AssetClass.US_OPTION and single.status == OrderStatus.ACCEPTED, single
    advance(base, 1)  # Thursday: filled at the model's price on the open
    bought = trading.get_order_by_client_id("py-opt-1")
    assert bought.status == OrderStatus.FILLED and float(bought.filled_qty) == 2, bought
    condor = trading.submit_order(MarketOrderRequest(qty=1, order_class=OrderClass.MLEG, time_in_force=TimeInForce.DAY,
                                                     client_order_id="py-condor", legs=[
        OptionLegRequest(symbol="OPT240119P00095000", ratio_qty=1, side=OrderSide.BUY, position_intent=PositionIntent.BUY_TO_OPEN),
        OptionLegRequest(symbol="OPT240119P00097500", ratio_qty=1, side=OrderSide.SELL, position_intent=PositionIntent.SELL_TO_OPEN),
        OptionLegRequest(symbol="OPT240119C00102500", ratio_qty=1, side=OrderSide.SELL, position_intent=PositionIntent.SELL_TO_OPEN),
        OptionLegRequest(symbol="OPT240119C00105000", ratio_qty=1, side=OrderSide.BUY, position_intent=PositionIntent.BUY_TO_OPEN)]))
    assert condor.order_class == OrderClass.MLEG and condor.symbol is None and len(condor.legs) == 4, condor
    trading.submit_order(MarketOrderRequest(symbol="OPT240112P00105000", qty=1, side=OrderSide.SELL, time_in_force=TimeInForce.DAY))
    trading.submit_order(MarketOrderRequest(symbol="OPT240112C00110000", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY))
    cash_before = float(trading.get_account().cash)
    advance(base, 1)  # Friday: all filled at the open
    condor = trading.get_order_by_client_id("py-condor")
    legs = {leg.symbol: float(leg.filled_avg_price) for leg in condor.legs}
    net = legs["OPT240119P00095000"] - legs["OPT240119P00097500"] - legs["OPT240119C00102500"] + legs["OPT240119C00105000"]
    assert condor.status == OrderStatus.FILLED and abs(float(condor.filled_avg_price) - net) < 1e-9 and net < 0, condor
    positions = {p.symbol: p for p in trading.get_all_positions()}
    assert {s: float(p.qty) for s, p in positions.items()} == {
        "OPT240112C00100000": 2, "OPT240112P00105000": -1, "OPT240112C00110000": 1, "OPT240119P00095000": 1,
        "OPT240119P00097500": -1, "OPT240119C00102500": -1, "OPT240119C00105000": 1}, positions
    assert all(p.asset_class == AssetClass.US_OPTION for p in positions.values())
    put, call = trading.get_open_position("OPT240112P00105000"), trading.get_open_position("OPT240112C00110000")
    paid = -100 * net + 100 * float(put.avg_entry_price) - 100 * float(call.avg_entry_price)
    assert abs(float(trading.get_account().cash) - (cash_before + paid)) < 1e-6, (trading.get_account().cash, cash_before, paid)

    advance(base, 1)  # Monday: Friday's contracts settle at Friday's close, 103
    positions = {p.symbol: float(p.qty) for p in trading.get_all_positions()}
    assert positions.get("OPT") == 300 and "OPT240112C00100000" not in positions, positions  # 200 by exercise, 100 by assignment
    trading.exercise_options_position("OPT240119C00105000")
    positions = {p.symbol: float(p.qty) for p in trading.get_all_positions()}
    assert positions.get("OPT") == 400 and "OPT240119C00105000" not in positions, positions
    activities = [(a["activity_type"], a["symbol"], a["qty"]) for a in trading.get("/account/activities")]
    assert activities == [("OPEXC", "OPT240112C00100000", "-2"), ("OPTRD", "OPT", "200"), ("OPASN", "OPT240112P00105000", "1"),
                          ("OPTRD", "OPT", "100"), ("OPEXP", "OPT240112C00110000", "-1"), ("OPEXC", "OPT240119C00105000", "-1"),
                          ("OPTRD", "OPT", "100")], activities

    # The account's options fields as alpaca-py reads them: level 3, and the put spread's width (2.50 x 100) held
    # out of the cash (the short 102.50 call is covered by the shares).
    account = trading.get_account()
    assert account.options_approved_level == 3 and account.options_trading_level == 3, account
    assert abs(float(account.options_buying_power) - (float(account.cash) - 250)) < 1e-6, account
    # A day limit far below the price rests through Tuesday (it was sent after Monday's close) and expires on Wednesday.
    trading.submit_order(LimitOrderRequest(symbol="OPT240119C00105000", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY,
                                           limit_price=0.01, client_order_id="py-opt-limit"))
    advance(base, 1)
    assert trading.get_order_by_client_id("py-opt-limit").status == OrderStatus.ACCEPTED
    advance(base, 1)
    assert trading.get_order_by_client_id("py-opt-limit").status == OrderStatus.EXPIRED
    # Options take time_in_force day only; a naked call is refused with Alpaca's 403.
    for request, status, text in [
            (LimitOrderRequest(symbol="OPT240119C00105000", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.GTC, limit_price=0.01),
             422, "order_time_in_force provided not supported for options trading"),
            (MarketOrderRequest(symbol="OPT240119C00110000", qty=4, side=OrderSide.SELL, time_in_force=TimeInForce.DAY),
             403, "insufficient underlying qty available for covered call")]:
        try:
            trading.submit_order(request)
            raise AssertionError(f"accepted: {request}")
        except APIError as error:
            assert error.status_code == status and text in str(error), error


def advance(base, bars):
    request = urllib.request.Request(f"{base}/peregrine/advance?bars={bars}", method="POST",
                                     headers={"APCA-API-KEY-ID": KEY, "APCA-API-SECRET-KEY": SECRET})
    urllib.request.urlopen(request).read()


def check(base):
    trading = TradingClient(KEY, SECRET, paper=True, url_override=base)
    account = trading.get_account()
    assert float(account.cash) == 100000.0 and float(account.equity) == 100000.0, account
    clock = trading.get_clock()
    assert clock.is_open, clock
    asset = trading.get_asset("SYN")
    assert asset.symbol == "SYN" and asset.tradable, asset

    wrong = TradingClient(KEY, "not-the-secret", paper=True, url_override=base)
    try:
        wrong.get_account()
        raise AssertionError("a wrong secret must be refused")
    except APIError as error:
        assert error.status_code == 401, error

    market = trading.submit_order(MarketOrderRequest(symbol="SYN", qty=10, side=OrderSide.BUY,
                                                     time_in_force=TimeInForce.DAY, client_order_id="py-1"))
    assert market.status in (OrderStatus.NEW, OrderStatus.ACCEPTED) and market.client_order_id == "py-1", market
    try:
        trading.submit_order(MarketOrderRequest(symbol="SYN", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY,
                                                client_order_id="py-1"))
        raise AssertionError("a reused client order id must be refused")
    except APIError as error:
        assert error.status_code == 422, error

    advance(base, 1)
    filled = trading.get_order_by_client_id("py-1")
    assert filled.status == OrderStatus.FILLED and float(filled.filled_qty) == 10, filled
    positions = trading.get_all_positions()
    assert len(positions) == 1 and positions[0].symbol == "SYN" and float(positions[0].qty) == 10, positions
    assert abs(float(positions[0].avg_entry_price) - float(filled.filled_avg_price)) < 1e-9

    price = float(filled.filled_avg_price)
    limit = trading.submit_order(LimitOrderRequest(symbol="SYN", qty=5, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
                                                   limit_price=round(price * 0.5, 2), client_order_id="py-2"))
    bracket = trading.submit_order(LimitOrderRequest(
        symbol="SYN", qty=5, side=OrderSide.BUY, time_in_force=TimeInForce.GTC, limit_price=round(price * 0.6, 2),
        order_class=OrderClass.BRACKET, take_profit=TakeProfitRequest(limit_price=round(price * 1.5, 2)),
        stop_loss=StopLossRequest(stop_price=round(price * 0.4, 2)), client_order_id="py-3"))
    assert bracket.order_class == OrderClass.BRACKET and len(bracket.legs or []) == 2, bracket
    open_orders = trading.get_orders(GetOrdersRequest(status="open"))
    assert {o.client_order_id for o in open_orders} == {"py-2", "py-3"}, [o.client_order_id for o in open_orders]
    replaced = trading.replace_order_by_id(limit.id, ReplaceOrderRequest(qty=4, limit_price=round(price * 0.55, 2),
                                                                         client_order_id="py-2r"))
    assert replaced.client_order_id == "py-2r" and float(replaced.qty) == 4, replaced
    assert abs(float(replaced.limit_price) - round(price * 0.55, 2)) < 1e-9, replaced.limit_price
    assert trading.get_order_by_id(limit.id).status == OrderStatus.REPLACED
    trading.cancel_order_by_id(replaced.id)
    assert trading.get_order_by_id(replaced.id).status == OrderStatus.CANCELED

    days = trading.get_calendar(GetCalendarRequest(start=datetime.date(2015, 1, 1), end=datetime.date(2015, 1, 31)))
    assert [str(d.date) for d in days] == ["2015-01-02", "2015-01-05"], days  # 500 minute bars: two sessions
    assert days[0].open.strftime("%H:%M") == "09:30" and days[0].close.strftime("%H:%M") == "16:00", days[0]

    data = StockHistoricalDataClient(KEY, SECRET, url_override=base)
    bars = data.get_stock_bars(StockBarsRequest(symbol_or_symbols="SYN", timeframe=TimeFrame.Minute, limit=1000))
    assert len(bars.data["SYN"]) == 51, len(bars.data["SYN"])  # warm-up 50 plus the one advanced: no future bars
    assert bars.data["SYN"][-1].open == float(filled.filled_avg_price)

    check_stream(base, trading)
    check_market_data(base)


def check_stream(base, trading):
    """trade_updates over the websocket: an order's accepted and fill events arrive, parsed by alpaca-py's models."""
    received = []

    async def on_update(update):
        received.append(update)

    stream = TradingStream(KEY, SECRET, paper=True, url_override=base.replace("http://", "ws://") + "/stream")
    stream.subscribe_trade_updates(on_update)
    runner = threading.Thread(target=stream.run, daemon=True)
    runner.start()
    time.sleep(1.5)  # connect, authenticate, listen
    trading.submit_order(MarketOrderRequest(symbol="SYN", qty=3, side=OrderSide.SELL, time_in_force=TimeInForce.DAY,
                                            client_order_id="py-ws-1"))
    advance(base, 1)
    deadline = time.time() + 15
    while time.time() < deadline and not any(u.event == "fill" and u.order.client_order_id == "py-ws-1" for u in received):
        time.sleep(0.1)
    stream.stop()
    runner.join(timeout=10)
    events = [(u.event, u.order.client_order_id) for u in received]
    # Alpaca announces an order as "new" (routed) or "accepted" (received); the local exchange says accepted.
    assert events[0] in (("new", "py-ws-1"), ("accepted", "py-ws-1")) and ("fill", "py-ws-1") in events, events
    fill = next(u for u in received if u.event == "fill" and u.order.client_order_id == "py-ws-1")
    assert float(fill.qty) == 3 and float(fill.position_qty) == 7, (fill.qty, fill.position_qty)
    assert fill.price == float(trading.get_order_by_client_id("py-ws-1").filled_avg_price), fill.price

    # Close everything, canceling working orders first: the bracket goes, the 7 shares are sold next bar.
    closed = trading.close_all_positions(cancel_orders=True)
    assert [(c.symbol, c.status) for c in closed] == [("SYN", 200)], closed
    assert trading.get_order_by_client_id("py-3").status == OrderStatus.CANCELED, trading.get_order_by_client_id("py-3")
    advance(base, 1)
    assert trading.get_all_positions() == [], trading.get_all_positions()

    wrong = TradingStream(KEY, "not-the-secret", paper=True, url_override=base.replace("http://", "ws://") + "/stream")
    refused = []

    async def on_refused(update):
        refused.append(update)

    wrong.subscribe_trade_updates(on_refused)
    import asyncio
    try:
        asyncio.run(asyncio.wait_for(wrong._start_ws(), timeout=10))
        raise AssertionError("a wrong secret must be refused by the stream")
    except ValueError as error:
        assert "failed to authenticate" in str(error), error


def check_market_data(base):
    """Bars over the market-data websocket (alpaca-py speaks MessagePack to it): the subscribed bars arrive as
    alpaca-py's Bar models, equal to the same bars over REST; a second connection with the key is refused."""
    received = []

    async def on_bar(bar):
        received.append(bar)

    url = base.replace("http://", "ws://") + "/v2/iex"
    stream = StockDataStream(KEY, SECRET, url_override=url)
    stream.subscribe_bars(on_bar, "SYN")
    runner = threading.Thread(target=stream.run, daemon=True)
    runner.start()
    time.sleep(1.5)  # connect, authenticate, subscribe
    advance(base, 3)
    deadline = time.time() + 15
    while time.time() < deadline and len(received) < 3:
        time.sleep(0.1)
    import asyncio
    second = StockDataStream(KEY, SECRET, url_override=url)
    try:
        asyncio.run(asyncio.wait_for(second._start_ws(), timeout=10))
        raise AssertionError("a second market-data connection with the same key must be refused")
    except ValueError as error:
        assert "connection limit exceeded" in str(error), error
    stream.stop()
    runner.join(timeout=10)
    assert len(received) == 3 and all(b.symbol == "SYN" for b in received), received
    data = StockHistoricalDataClient(KEY, SECRET, url_override=base)
    rest = data.get_stock_bars(StockBarsRequest(symbol_or_symbols="SYN", timeframe=TimeFrame.Minute, limit=1000)).data["SYN"][-3:]
    for streamed, stored in zip(received, rest):
        assert streamed.timestamp == stored.timestamp, (streamed.timestamp, stored.timestamp)
        assert (streamed.open, streamed.high, streamed.low, streamed.close, streamed.volume) == \
            (stored.open, stored.high, stored.low, stored.close, stored.volume), (streamed, stored)
    check_quotes_and_trades(base, data)


def check_quotes_and_trades(base, data):
    """Quotes and trades over the stock stream: per bar a trade at the close and a quote around it, the last of
    each equal to the latest quote and trade over REST, all parsed by alpaca-py's models."""
    quotes, trades = [], []

    async def on_quote(quote):
        quotes.append(quote)

    async def on_trade(trade):
        trades.append(trade)

    stream = StockDataStream(KEY, SECRET, url_override=base.replace("http://", "ws://") + "/v2/iex")
    stream.subscribe_quotes(on_quote, "SYN")
    stream.subscribe_trades(on_trade, "SYN")
    runner = threading.Thread(target=stream.run, daemon=True)
    runner.start()
    time.sleep(1.5)
    advance(base, 2)
    deadline = time.time() + 15
    while time.time() < deadline and (len(quotes) < 2 or len(trades) < 2):
        time.sleep(0.1)
    stream.stop()
    runner.join(timeout=10)
    assert len(quotes) == 2 and len(trades) == 2, (quotes, trades)
    bars = data.get_stock_bars(StockBarsRequest(symbol_or_symbols="SYN", timeframe=TimeFrame.Minute, limit=1000)).data["SYN"][-2:]
    for quote, trade, bar in zip(quotes, trades, bars):
        assert quote.timestamp == trade.timestamp == bar.timestamp, (quote, trade, bar)
        assert trade.price == bar.close and quote.bid_price < bar.close < quote.ask_price, (quote, trade, bar)
        assert abs((quote.ask_price - bar.close) - (bar.close - quote.bid_price)) < 1e-9, quote
    latest_quote = data.get_stock_latest_quote(StockLatestQuoteRequest(symbol_or_symbols="SYN"))["SYN"]
    latest_trade = data.get_stock_latest_trade(StockLatestTradeRequest(symbol_or_symbols="SYN"))["SYN"]
    assert (latest_quote.bid_price, latest_quote.ask_price, latest_quote.bid_size, latest_quote.timestamp) == \
        (quotes[-1].bid_price, quotes[-1].ask_price, quotes[-1].bid_size, quotes[-1].timestamp), (latest_quote, quotes[-1])
    assert (latest_trade.price, latest_trade.size, latest_trade.id) == (trades[-1].price, trades[-1].size, trades[-1].id), latest_trade


def check_crypto(base):
    """A pair around the clock: bars with fractional volumes over the crypto endpoint, a fractional and a notional
    order filled on a Saturday, a day order refused (Alpaca takes gtc or ioc for crypto), the crypto stream's quotes
    equal to the latest quote over REST."""
    trading = TradingClient(KEY, SECRET, paper=True, url_override=base)
    data = CryptoHistoricalDataClient(KEY, SECRET, url_override=base)
    bars = data.get_crypto_bars(CryptoBarsRequest(symbol_or_symbols="BTC/USD", timeframe=TimeFrame.Minute, limit=1000)).data["BTC/USD"]
    assert len(bars) == 60 and bars[0].volume == 0.1 and bars[-1].volume == 0.12183, (len(bars), bars[0], bars[-1])
    asset = trading.get_asset("BTC/USD")
    assert asset.fractionable and not asset.shortable, asset
    assert trading.get_clock().is_open
    try:
        trading.submit_order(MarketOrderRequest(symbol="BTC/USD", qty=0.01, side=OrderSide.BUY, time_in_force=TimeInForce.DAY))
        raise AssertionError("a crypto day order must be refused")
    except APIError as error:
        assert error.status_code == 422 and "gtc or ioc" in str(error), error
    trading.submit_order(MarketOrderRequest(symbol="BTC/USD", qty=0.0123, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
                                            client_order_id="py-btc-1"))
    notional = trading.submit_order(MarketOrderRequest(symbol="BTC/USD", notional=500, side=OrderSide.BUY,
                                                       time_in_force=TimeInForce.GTC, client_order_id="py-btc-2"))
    assert float(notional.notional) == 500 and 0 < float(notional.qty) < 0.01, notional

    quotes = []

    async def on_quote(quote):
        quotes.append(quote)

    stream = CryptoDataStream(KEY, SECRET, url_override=base.replace("http://", "ws://") + "/v1beta3/crypto/us")
    stream.subscribe_quotes(on_quote, "BTC/USD")
    runner = threading.Thread(target=stream.run, daemon=True)
    runner.start()
    time.sleep(1.5)
    advance(base, 1)
    deadline = time.time() + 15
    while time.time() < deadline and not quotes:
        time.sleep(0.1)
    stream.stop()
    runner.join(timeout=10)
    filled = trading.get_order_by_client_id("py-btc-1")
    assert filled.status == OrderStatus.FILLED and float(filled.filled_qty) == 0.0123, filled
    assert trading.get_order_by_client_id("py-btc-2").status == OrderStatus.FILLED
    assert filled.filled_at.weekday() == 5, filled.filled_at  # a Saturday
    position = trading.get_open_position("BTC/USD")
    assert abs(float(position.qty) - 0.0123 - float(notional.qty)) < 1e-12, position
    assert len(quotes) == 1 and quotes[0].symbol == "BTC/USD", quotes
    latest = data.get_crypto_latest_quote(CryptoLatestQuoteRequest(symbol_or_symbols="BTC/USD"))["BTC/USD"]
    assert (latest.bid_price, latest.ask_price, latest.ask_size, latest.timestamp) == \
        (quotes[0].bid_price, quotes[0].ask_price, quotes[0].ask_size, quotes[0].timestamp), (latest, quotes[0])
    trade = data.get_crypto_latest_trade(CryptoLatestTradeRequest(symbol_or_symbols="BTC/USD"))["BTC/USD"]
    last = data.get_crypto_bars(CryptoBarsRequest(symbol_or_symbols="BTC/USD", timeframe=TimeFrame.Minute, limit=1000)).data["BTC/USD"][-1]
    assert (trade.price, trade.timestamp) == (last.close, last.timestamp) == (last.close, latest.timestamp), (trade, last)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/peregrine")
