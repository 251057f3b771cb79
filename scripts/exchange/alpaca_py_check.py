"""Runs the official alpaca-py SDK, unchanged, against `peregrine exchange` and checks what it gets back:
account, clock, market / limit / bracket orders, order by client order id, replace, cancel, calendar, positions
and closing them, stock bars, the trade_updates websocket stream and the market-data stream's bars (MessagePack).

    python scripts/exchange/alpaca_py_check.py .build/debug/peregrine
"""
import datetime
import os
import subprocess
import sys
import threading
import time
import urllib.request

from alpaca.common.exceptions import APIError
from alpaca.data.historical import StockHistoricalDataClient
from alpaca.data.live import StockDataStream
from alpaca.data.requests import StockBarsRequest
from alpaca.data.timeframe import TimeFrame
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderClass, OrderSide, OrderStatus, TimeInForce
from alpaca.trading.stream import TradingStream
from alpaca.trading.requests import (GetCalendarRequest, GetOrdersRequest, LimitOrderRequest, MarketOrderRequest,
                                     ReplaceOrderRequest, StopLossRequest, TakeProfitRequest)

KEY, SECRET = "PKCHECK1", "check-secret-1"


def main(executable):
    env = dict(os.environ, APCA_API_KEY_ID=KEY, APCA_API_SECRET_KEY=SECRET)
    server = subprocess.Popen([executable, "exchange", "--data", "synthetic:bars=500,seed=3,symbol=SYN", "--speed", "manual",
                               "--port", "0", "--warmup", "50", "--cash", "100000"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        base = None
        for line in server.stdout:
            if line.startswith("listening on "):
                base = line.split()[2]
                break
        assert base, "the exchange did not start: " + server.stderr.read()
        check(base)
    finally:
        server.terminate()
        server.wait(timeout=20)
    print("alpaca-py against peregrine exchange: all checks passed")


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


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/peregrine")
